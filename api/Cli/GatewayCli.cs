using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Gateway.Api.Hosting;
using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.GitHub;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Cli;

/// <summary>
/// The command line (SPEC §1.5): <c>start</c> (the default), <c>auth</c>, <c>check-usage</c>, <c>debug</c>. Switches
/// map onto configuration keys; any <c>--Gateway:key=value</c> token passes through to configuration as well.
/// </summary>
public static class GatewayCli
{
    private static readonly Option<int?> Port = new("--port", "-p") { Description = "Port to listen on (default 4141)", Recursive = true };
    private static readonly Option<string?> Host = new("--host") { Description = "Address to listen on (default 127.0.0.1)", Recursive = true };
    private static readonly Option<bool?> Verbose = Flag("--verbose", "Debug logging", "-v");
    private static readonly Option<string?> AccountType = new("--account-type", "-a") { Description = "individual, business or enterprise", Recursive = true };
    private static readonly Option<string?> EnterpriseUrl = new("--enterprise-url") { Description = "GitHub Enterprise URL", Recursive = true };
    private static readonly Option<string?> OauthApp = new("--oauth-app") { Description = "vscode or opencode", Recursive = true };
    private static readonly Option<string?> DataDir = new("--data-dir") { Description = "Data directory (default ~/.local/share/gateway-cluster)", Recursive = true };
    private static readonly Option<string?> GithubToken = new("--github-token", "-g") { Description = "GitHub token to use (or env GH_TOKEN)", Recursive = true };
    private static readonly Option<int?> RateLimit = new("--rate-limit", "-r") { Description = "Minimum seconds between generation requests", Recursive = true };
    private static readonly Option<bool?> Wait = Flag("--wait", "Wait instead of answering 429 when rate limited", "-w");
    private static readonly Option<bool?> Manual = Flag("--manual", "Approve each request on the console");
    private static readonly Option<bool?> ShowToken = Flag("--show-token", "Log GitHub and Copilot tokens (standalone only)");
    private static readonly Option<bool?> ClaudeCode = Flag("--claude-code", "Pick models and print a claude command for this gateway");
    private static readonly Option<bool> Json = new("--json") { Description = "Print as JSON" };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Gateway Cluster: an OpenAI- and Anthropic-compatible gateway for GitHub Copilot and other providers.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        foreach (var option in new Option[] { Port, Host, Verbose, AccountType, EnterpriseUrl, OauthApp, DataDir, GithubToken, RateLimit, Wait, Manual, ShowToken, ClaudeCode })
        {
            root.Options.Add(option);
        }
        var start = new Command("start", "Start the gateway (the default).") { TreatUnmatchedTokensAsErrors = false };
        var auth = new Command("auth", "Sign in a GitHub account with the device flow and store it.") { TreatUnmatchedTokensAsErrors = false };
        var checkUsage = new Command("check-usage", "Print the Copilot quota of the default account.") { TreatUnmatchedTokensAsErrors = false };
        var debug = new Command("debug", "Print version, runtime, paths and whether a GitHub account is stored.") { TreatUnmatchedTokensAsErrors = false };
        debug.Options.Add(Json);
        root.Subcommands.Add(start);
        root.Subcommands.Add(auth);
        root.Subcommands.Add(checkUsage);
        root.Subcommands.Add(debug);

        root.SetAction((result, ct) => StartAsync(result, ct));
        start.SetAction((result, ct) => StartAsync(result, ct));
        auth.SetAction((result, ct) => AuthAsync(result, ct));
        checkUsage.SetAction((result, ct) => CheckUsageAsync(result, ct));
        debug.SetAction((result, ct) => DebugAsync(result, ct));
        return await root.Parse(args).InvokeAsync();
    }

    /// <summary>The switches of SPEC §1.5 as configuration keys.</summary>
    public static Dictionary<string, string?> Overrides(ParseResult result)
    {
        var values = new Dictionary<string, string?>();
        void Set<T>(Option<T> option, string key)
        {
            if (result.GetResult(option) is not { } optionResult || optionResult.Implicit)
            {
                return;
            }
            values[key] = result.GetValue(option) switch
            {
                null => "true", // a boolean switch given without a value
                bool b => b ? "true" : "false",
                var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        Set(Port, "Gateway:port");
        Set(Host, "Gateway:host");
        Set(Verbose, "Gateway:verbose");
        Set(AccountType, "Gateway:copilot:accountType");
        Set(EnterpriseUrl, "Gateway:copilot:enterpriseUrl");
        Set(OauthApp, "Gateway:copilot:oauthApp");
        Set(DataDir, "Gateway:dataDir");
        Set(GithubToken, "Gateway:githubToken");
        Set(RateLimit, "Gateway:rateLimitSeconds");
        Set(Wait, "Gateway:rateLimitWait");
        Set(Manual, "Gateway:manualApproval");
        Set(ShowToken, "Gateway:showToken");
        Set(ClaudeCode, "Gateway:claudeCode");
        return values;
    }

    private static GatewayLaunch Launch(ParseResult result, bool serveHttp) => new()
    {
        ConfigArgs = result.UnmatchedTokens.ToArray(),
        Overrides = Overrides(result),
        ServeHttp = serveHttp,
    };

    private static async Task<int> StartAsync(ParseResult result, CancellationToken ct)
    {
        WebApplication app;
        try
        {
            app = GatewayApp.Build(Launch(result, serveHttp: true));
        }
        catch (GatewayStartupException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        await app.RunAsync();
        return 0;
    }

    private static async Task<int> AuthAsync(ParseResult result, CancellationToken ct)
        => await WithHostAsync(result, async app =>
        {
            var login = await DeviceFlow.RunAsync(app.Services.GetRequiredService<GitHubClient>(), app.Services.GetRequiredService<IGrainFactory>(), Console.Out, ct);
            return login is null ? 1 : 0;
        });

    private static async Task<int> CheckUsageAsync(ParseResult result, CancellationToken ct)
        => await WithHostAsync(result, async app =>
        {
            var grains = app.Services.GetRequiredService<IGrainFactory>();
            var directory = await grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).GetAsync();
            if (directory.Logins.Count == 0)
            {
                await Console.Error.WriteLineAsync("No GitHub account is stored. Run `auth` first.");
                return 1;
            }
            var quota = await grains.GetGrain<IGitHubAccountGrain>(directory.Logins[0]).GetQuotaAsync();
            if (quota.Json is null || quota.Status is < 200 or >= 300)
            {
                await Console.Error.WriteLineAsync($"Could not read Copilot usage (HTTP {quota.Status}).");
                return 1;
            }
            foreach (var line in QuotaReport.Lines(quota.Json))
            {
                await Console.Out.WriteLineAsync(line);
            }
            return 0;
        });

    private static async Task<int> DebugAsync(ParseResult result, CancellationToken ct)
        => await WithHostAsync(result, async app =>
        {
            var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            var directory = await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).GetAsync();
            var info = new Dictionary<string, object?>
            {
                ["version"] = typeof(GatewayCli).Assembly.GetName().Version?.ToString(),
                ["runtime"] = RuntimeInformation.FrameworkDescription,
                ["os"] = RuntimeInformation.OSDescription,
                ["arch"] = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
                ["mode"] = options.IsCluster ? "cluster" : "standalone",
                ["dataDir"] = options.IsCluster ? null : options.ResolveDataDir(),
                ["configPath"] = options.IsCluster ? null : Path.Combine(options.ResolveDataDir(), StandaloneConfigFile.FileName),
                ["githubTokenStored"] = directory.Logins.Count > 0,
                ["accounts"] = directory.Logins,
            };
            if (result.GetValue(Json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(info, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                foreach (var (key, value) in info)
                {
                    await Console.Out.WriteLineAsync($"{key}: {(value is IEnumerable<string> list ? string.Join(", ", list) : value)}");
                }
            }
            return 0;
        });

    /// <summary>Runs a verb against the grains: a host without a public HTTP listener, stopped afterwards.</summary>
    private static async Task<int> WithHostAsync(ParseResult result, Func<WebApplication, Task<int>> verb)
    {
        WebApplication app;
        try
        {
            app = GatewayApp.Build(Launch(result, serveHttp: false) with { Console = null, Overrides = WithoutDeviceFlow(Overrides(result)) });
        }
        catch (GatewayStartupException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        await app.StartAsync();
        try
        {
            return await verb(app);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static Dictionary<string, string?> WithoutDeviceFlow(Dictionary<string, string?> overrides)
    {
        overrides["Gateway:startupDeviceFlow"] = "false";
        return overrides;
    }

    private static Option<bool?> Flag(string name, string description, params string[] aliases)
        => new(name, aliases) { Description = description, Arity = ArgumentArity.ZeroOrOne, Recursive = true, DefaultValueFactory = _ => null };
}
