using System.Net.Http.Json;
using Gateway.Api.Hosting;
using Gateway.Api.Usage;
using Gateway.Testing.FakeUpstream;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Integration.Tests.Infrastructure;

/// <summary>
/// The real gateway (the same <see cref="GatewayApp"/> the CLI starts) on an ephemeral loopback port, in standalone
/// mode with its own data dir, every upstream URL pointed at a <see cref="FakeUpstreamServer"/>.
/// </summary>
public sealed class GatewayTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsDataDir;

    private GatewayTestHost(WebApplication app, string dataDir, bool ownsDataDir, StringWriter console)
    {
        _app = app;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        Console = console;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = address.TrimEnd('/');
        Client = new HttpClient { BaseAddress = new Uri(BaseAddress + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string BaseAddress { get; }

    public string DataDir { get; }

    public HttpClient Client { get; }

    public StringWriter Console { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// A second GitHub account: known to the fake upstream under <paramref name="login"/>, registered in the cluster,
    /// and visible to the account pool at once.
    /// </summary>
    public async Task AddAccountAsync(FakeUpstreamServer upstream, string githubToken, string login)
    {
        upstream.State.RegisterGitHubToken(githubToken, login);
        var registration = await Services.GetRequiredService<IGrainFactory>().GetGrain<Gateway.Grains.Abstractions.Accounts.IGitHubAccountGrain>(login).RegisterAsync(githubToken);
        Assert.True(registration.Succeeded, registration.Error);
        Services.GetRequiredService<Gateway.Api.Accounts.CopilotAccountPool>().Invalidate();
    }

    public static async Task<GatewayTestHost> StartAsync(
        FakeUpstreamServer upstream,
        Action<Dictionary<string, string?>>? configure = null,
        string? dataDir = null,
        bool withAccount = true)
    {
        var ownsDataDir = dataDir is null;
        dataDir ??= Directory.CreateTempSubdirectory("gw-test-").FullName;
        var overrides = new Dictionary<string, string?>
        {
            ["Gateway:port"] = "0",
            ["Gateway:dataDir"] = dataDir,
            ["Gateway:upstreams:githubWebUrl"] = upstream.BaseAddress,
            ["Gateway:upstreams:githubApiUrl"] = upstream.BaseAddress,
            ["Gateway:upstreams:vscodeVersionUrl"] = "",
            ["Gateway:startupDeviceFlow"] = "false",
            ["Gateway:githubToken"] = withAccount ? FakeUpstreamState.DefaultGitHubToken : null,
            // Keep the cluster identity unique per host so parallel test hosts never meet.
            ["Gateway:cluster:clusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
        };
        configure?.Invoke(overrides);
        var console = new StringWriter();
        var app = GatewayApp.Build(new GatewayLaunch
        {
            Overrides = overrides,
            Console = TextWriter.Synchronized(console),
            // Beside the durable recorder, keep records in memory so tests can read what the request path recorded.
            ConfigureBuilder = builder => builder.Services.AddSingleton<IUsageRecorder, RecentUsageRecorder>(),
        });
        await app.StartAsync();
        var host = new GatewayTestHost(app, dataDir, ownsDataDir, console);
        if (withAccount)
        {
            await host.WaitForModelsAsync();
        }
        return host;
    }

    /// <summary>The start-up account import runs in the background; wait (bounded) until models are served.</summary>
    public async Task WaitForModelsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var response = await Client.GetAsync("v1/models");
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gateway served no models within 20 s: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{Console}");
            }
            await Task.Delay(100);
        }
    }

    public async Task<T?> GetJsonAsync<T>(string path) => await Client.GetFromJsonAsync<T>(path);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
            if (_ownsDataDir)
            {
                try
                {
                    Directory.Delete(DataDir, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
