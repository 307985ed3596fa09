using System.Net;
using Gateway.Grains.GitHub;
using Gateway.Grains.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Grains.Tests.GitHub;

/// <summary>SPEC §2.4 <c>editor-version</c>: configured, else looked up from the PKGBUILD, else the fallback.</summary>
public sealed class EditorVersionTests
{
    private sealed class Factory(Func<HttpRequestMessage, HttpResponseMessage> answer) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new Handler(answer));

        private sealed class Handler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                => Task.FromResult(answer(request));
        }
    }

    private static EditorVersion Create(GatewayOptions options, Func<HttpRequestMessage, HttpResponseMessage> answer)
        => new(Microsoft.Extensions.Options.Options.Create(options), new Factory(answer), NullLogger<EditorVersion>.Instance);

    [Fact]
    public async Task PkgverFromTheLookupUrl_IsUsed()
    {
        var version = Create(new GatewayOptions { Upstreams = new UpstreamOptions { VscodeVersionUrl = "http://versions.test/PKGBUILD" } },
            _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("pkgname=code\npkgver=1.200.3\npkgrel=1\n") });
        Assert.Equal(EditorVersion.Fallback, version.Current);
        Assert.Equal("1.200.3", await version.GetAsync());
        Assert.Equal("1.200.3", version.Current);
    }

    [Fact]
    public async Task FailedLookup_FallsBack_AndConfiguredVersionWins()
    {
        var failing = Create(new GatewayOptions(), _ => new HttpResponseMessage(HttpStatusCode.InternalServerError));
        Assert.Equal(EditorVersion.Fallback, await failing.GetAsync());
        var configured = Create(new GatewayOptions { Copilot = new CopilotOptions { VscodeVersion = "1.99.9" } }, _ => throw new InvalidOperationException("no lookup expected"));
        Assert.Equal("1.99.9", await configured.GetAsync());
    }
}
