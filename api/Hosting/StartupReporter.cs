using Gateway.Api.Accounts;
using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.GitHub;
using Gateway.Grains.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Hosting;

/// <summary>What the host learned while building that start-up should tell the user.</summary>
public sealed record StartupNotes(string? GeneratedAdminKey, IReadOnlyList<string> UnknownFields, TextWriter? Console);

/// <summary>
/// Start-up steps of SPEC §1.4 that need the running cluster: import <c>githubToken</c>, run the device flow when
/// there is no account (and goes on serving once authorised), then print the listen URL, viewer URL and model ids.
/// Runs in the background so the HTTP server is up at once.
/// </summary>
public sealed partial class StartupReporter(
    IServer server,
    IHostApplicationLifetime lifetime,
    IGrainFactory grains,
    GitHubClient gitHub,
    CopilotAccountPool pool,
    StartupNotes notes,
    EditorVersion editorVersion,
    IOptions<GatewayOptions> options,
    EffectiveSettings settings,
    ILogger<StartupReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var console = notes.Console ?? TextWriter.Null;
        foreach (var field in notes.UnknownFields)
        {
            LogUnknownField(logger, field);
        }
        if (notes.GeneratedAdminKey is { } adminKey)
        {
            await console.WriteLineAsync($"Generated an admin API key (shown once; stored in config.json): {adminKey}");
        }
        if (!await WaitForStartAsync(stoppingToken))
        {
            return;
        }
        // SPEC §2.4: look the VS Code version up once at start (5 s timeout; the fallback is used until then).
        _ = editorVersion.GetAsync();
        // Loading a tokenizer takes seconds; do it now rather than in the first count_tokens request.
        _ = Task.Run(() => Tokens.TokenizerCache.Get(null), stoppingToken);
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? $"http://127.0.0.1:{options.Value.Port}";
        var display = url.Replace("://127.0.0.1:", "://localhost:", StringComparison.Ordinal);
        await console.WriteLineAsync($"Gateway Cluster listening on {url} ({(options.Value.IsCluster ? "cluster" : "standalone")} mode)");
        await console.WriteLineAsync($"Usage viewer: {display}/usage-viewer?endpoint={display}/usage");

        try
        {
            if (!options.Value.IsCluster)
            {
                await EnsureAccountAsync(console, stoppingToken);
            }
            var catalog = await pool.GetCatalogAsync(stoppingToken);
            if (catalog.Models.Count > 0)
            {
                await console.WriteLineAsync("Available models:");
                for (var i = 0; i < catalog.Models.Count; i++)
                {
                    await console.WriteLineAsync(options.Value.ClaudeCode ? $"  {i + 1,2}. {catalog.Models[i].Id}" : $"  - {catalog.Models[i].Id}");
                }
            }
            if (options.Value.ClaudeCode)
            {
                await PrintClaudeCodeCommandAsync(console, display, catalog.Models);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogStartupStepFailed(logger, ex.Message);
        }
    }

    /// <summary>SPEC §1.5 <c>--claude-code</c>: asks on an interactive console, else takes the defaults.</summary>
    private async Task PrintClaudeCodeCommandAsync(TextWriter console, string url, IReadOnlyList<Catalog.ModelInfo> models)
    {
        var (main, small) = Cli.ClaudeCodeLauncher.Defaults(models, settings.CopilotSmallModel);
        // Only a gateway started from a terminal asks; tests and services write elsewhere and take the defaults.
        var interactive = ReferenceEquals(notes.Console, System.Console.Out) && !System.Console.IsInputRedirected;
        if (interactive)
        {
            main = Cli.ClaudeCodeLauncher.Ask(System.Console.In, console, "Main", models, main);
            small = Cli.ClaudeCodeLauncher.Ask(System.Console.In, console, "Small", models, small);
        }
        // SPEC §1.5: a configured key, or "dummy" in open mode (no key is needed then).
        var key = options.Value.Auth.ApiKeys.FirstOrDefault(k => !string.IsNullOrWhiteSpace(k))?.Trim() ?? "dummy";
        var command = Cli.ClaudeCodeLauncher.Command(url, key, main, small);
        await console.WriteLineAsync("Run Claude Code against this gateway:");
        await console.WriteLineAsync(command);
        if (interactive && Cli.ClaudeCodeLauncher.TryCopyToClipboard(command))
        {
            await console.WriteLineAsync("(copied to the clipboard)");
        }
    }

    private async Task EnsureAccountAsync(TextWriter console, CancellationToken ct)
    {
        var token = options.Value.GithubToken;
        if (!string.IsNullOrWhiteSpace(token))
        {
            var login = await gitHub.GetLoginAsync(token, ct);
            var result = await grains.GetGrain<IGitHubAccountGrain>(login).RegisterAsync(token);
            await console.WriteLineAsync(result.Succeeded ? $"GitHub account {login} ready." : $"GitHub account {login} could not be used: {result.Error}");
            pool.Invalidate();
            return;
        }
        var directory = await grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).GetAsync();
        if (directory.Logins.Count > 0)
        {
            return;
        }
        if (options.Value.Providers.Values.Any(p => p is { Enabled: true }))
        {
            // SPEC §1.4: with an enabled provider the gateway runs provider-only instead of asking for a device flow.
            await console.WriteLineAsync("No GitHub account configured: serving providers only (Copilot requests get 503).");
            return;
        }
        if (!options.Value.StartupDeviceFlow)
        {
            await console.WriteLineAsync("No GitHub account configured: run the `auth` command or set GH_TOKEN.");
            return;
        }
        string? added;
        try
        {
            added = await DeviceFlow.RunAsync(gitHub, grains, console, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or GitHubException)
        {
            await console.WriteLineAsync($"Could not reach GitHub for the device flow ({ex.Message}). The gateway keeps running; " +
                "sign in later with the `auth` command or start it with GH_TOKEN set.");
            return;
        }
        if (added is not null)
        {
            pool.Invalidate();
        }
    }

    private async Task<bool> WaitForStartAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var cancel = ct.Register(() => started.TrySetCanceled());
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "config.json: unknown field '{Field}' is ignored")]
    private static partial void LogUnknownField(ILogger logger, string field);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A start-up step failed: {Reason}")]
    private static partial void LogStartupStepFailed(ILogger logger, string reason);
}
