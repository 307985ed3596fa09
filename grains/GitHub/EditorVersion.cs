using System.Text.RegularExpressions;
using Gateway.Grains.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Grains.GitHub;

/// <summary>
/// The VS Code version sent as <c>editor-version</c> (SPEC §2.4): <c>copilot.vscodeVersion</c> if set, else the
/// <c>pkgver=</c> read once from <c>upstreams.vscodeVersionUrl</c> (5 s timeout), else <see cref="Fallback"/>.
/// </summary>
public sealed partial class EditorVersion(IOptions<GatewayOptions> options, IHttpClientFactory httpClientFactory, ILogger<EditorVersion> logger)
{
    public const string Fallback = "1.104.3";
    private readonly Lazy<Task<string>> _version = new(() => LookUpAsync(options.Value, httpClientFactory, logger));

    public Task<string> GetAsync() => _version.Value;

    /// <summary>The version if already known, else the fallback (never blocks the hot path).</summary>
    public string Current => _version.IsValueCreated && _version.Value.IsCompletedSuccessfully ? _version.Value.Result : options.Value.Copilot.VscodeVersion ?? Fallback;

    private static async Task<string> LookUpAsync(GatewayOptions options, IHttpClientFactory factory, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.Copilot.VscodeVersion))
        {
            return options.Copilot.VscodeVersion;
        }
        if (string.IsNullOrWhiteSpace(options.Upstreams.VscodeVersionUrl))
        {
            return Fallback;
        }
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var text = await factory.CreateClient(GitHubClient.HttpClientName).GetStringAsync(options.Upstreams.VscodeVersionUrl, cts.Token);
            var match = PkgVer().Match(text);
            if (match.Success)
            {
                return match.Groups[1].Value.Trim();
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            Log.VersionLookupFailed(logger, ex.Message);
        }
        return Fallback;
    }

    [GeneratedRegex(@"^pkgver=([0-9A-Za-z.\-_]+)", RegexOptions.Multiline)]
    private static partial Regex PkgVer();

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "VS Code version lookup failed ({Reason}); using the fallback version")]
        public static partial void VersionLookupFailed(ILogger logger, string reason);
    }
}
