using System.Net;
using System.Text;

namespace Gateway.Grains.Tests.Accounts;

/// <summary>
/// An in-process stand-in for the GitHub and Copilot endpoints the account grain calls, counting token exchanges.
/// (Integration tests use the real loopback fake upstream; grain tests only need these two answers.)
/// </summary>
public sealed class StubGitHub : HttpMessageHandler
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _exchangesByToken = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _failNextByToken = new();
    private int _exchanges;

    /// <summary>Successful exchanges of one GitHub token (tests share the stub, so they count per token).</summary>
    public int ExchangesOf(string githubToken) => _exchangesByToken.GetValueOrDefault(githubToken);

    public int RefreshInSeconds { get; set; } = 1500;

    public int ExpiresInSeconds { get; set; } = 1800;

    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    public TimeSpan ExchangeDelay { get; set; }

    public void FailNext(string githubToken, int count) => _failNextByToken[githubToken] = count;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (path == "/copilot_internal/v2/token")
        {
            if (ExchangeDelay > TimeSpan.Zero)
            {
                await Task.Delay(ExchangeDelay, cancellationToken);
            }
            var githubToken = request.Headers.GetValues("authorization").Single()["token ".Length..];
            if (_failNextByToken.AddOrUpdate(githubToken, -1, (_, v) => v - 1) >= 0)
            {
                return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("boom") };
            }
            _exchangesByToken.AddOrUpdate(githubToken, 1, (_, v) => v + 1);
            var n = Interlocked.Increment(ref _exchanges);
            var expires = Now().AddSeconds(ExpiresInSeconds).ToUnixTimeSeconds();
            return Json($$"""{"token":"tid=copilot-{{n}}","expires_at":{{expires}},"refresh_in":{{RefreshInSeconds}},"endpoints":{"api":"https://copilot.example.test/"},"sku":"free"}""");
        }
        if (path == "/models")
        {
            return Json("""{"data":[{"id":"gpt-4.1","model_picker_enabled":true,"capabilities":{"type":"chat"}}]}""");
        }
        if (path == "/copilot_internal/user")
        {
            return Json("""{"login":"octocat","quota_snapshots":{}}""");
        }
        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private static HttpResponseMessage Json(string body)
        => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
