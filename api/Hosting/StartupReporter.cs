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
                foreach (var model in catalog.Models)
                {
                    await console.WriteLineAsync($"  - {model.Id}");
                }
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
