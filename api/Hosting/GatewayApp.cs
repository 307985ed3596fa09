using Gateway.Api.Accounts;
using Gateway.Api.Admin;
using Gateway.Api.Auth;
using Gateway.Api.Endpoints;
using Gateway.Api.Diagnostics;
using Gateway.Api.Forwarding;
using Gateway.Api.Providers;
using Gateway.Api.Usage;
using OpenTelemetry.Metrics;
using Gateway.Grains.Hosting;
using Gateway.Grains.Options;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Gateway.Api.Hosting;

/// <summary>Builds the API host in either mode (DESIGN §1): standalone with a co-hosted silo, or an Orleans client.</summary>
public static class GatewayApp
{
    public const string PostgresConnectionName = "Postgres";

    public static WebApplication Build(GatewayLaunch launch)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = launch.ConfigArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var configuration = builder.Configuration;
        configuration.AddInMemoryCollection(launch.Overrides);
        if (string.IsNullOrWhiteSpace(configuration["Gateway:githubToken"]) && Environment.GetEnvironmentVariable("GH_TOKEN") is { Length: > 0 } ghToken)
        {
            configuration.AddInMemoryCollection([new("Gateway:githubToken", ghToken)]);
        }

        var options = Bind(configuration);
        string? generatedAdminKey = null;
        IReadOnlyList<string> unknownFields = [];
        if (!options.IsCluster)
        {
            var dataDir = options.ResolveDataDir();
            CreateOwnerOnlyDirectory(dataDir);
            try
            {
                var prepared = StandaloneConfigFile.Prepare(dataDir);
                generatedAdminKey = prepared.GeneratedAdminKey;
                unknownFields = prepared.UnknownFields;
            }
            catch (ConfigFileException ex)
            {
                throw new GatewayStartupException([ex.Message]);
            }
            InsertConfigFile(configuration, dataDir);
            options = Bind(configuration);
            // The SQLite file holds grain state and the gateway's tables; its schema must exist before the silo starts.
            Grains.Storage.Sqlite.SqliteMigrator.MigrateAsync(Path.Combine(options.ResolveDataDir(), GatewaySiloHosting.StandaloneDatabaseFile), null, CancellationToken.None)
                .GetAwaiter().GetResult();
        }

        var postgres = configuration.GetConnectionString(PostgresConnectionName);
        var problems = GatewayOptionsValidation.Validate(options, postgres);
        if (problems.Count > 0)
        {
            throw new GatewayStartupException(problems);
        }

        var host = string.IsNullOrWhiteSpace(options.Host) ? (options.IsCluster ? "0.0.0.0" : "127.0.0.1") : options.Host;
        var port = launch.ServeHttp ? options.Port : 0;
        builder.WebHost.UseUrls($"http://{(launch.ServeHttp ? FormatHost(host) : "127.0.0.1")}:{port}");
        builder.Logging.SetMinimumLevel(options.Verbose ? LogLevel.Debug : LogLevel.Information);
        builder.Logging.AddFilter("Orleans", options.Verbose ? LogLevel.Information : LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", options.Verbose ? LogLevel.Information : LogLevel.Warning);
        // This category only logs request start/finish (Information). While it is enabled at any level, hosting also
        // creates an Activity and a logging scope for every request: measurable on the hot path, so off unless verbose.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", options.Verbose ? LogLevel.Information : LogLevel.None);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        if (!options.IsCluster)
        {
            // SPEC §1.3: standalone also keeps daily log files in the data dir, each line with its request's trace id.
            var accessor = new HttpContextAccessor();
            builder.Services.AddSingleton<IHttpContextAccessor>(accessor);
            // Created by the container (not passed in as an instance) so that it is disposed, and flushed, on shutdown.
            var logDirectory = Path.Combine(options.ResolveDataDir(), "logs");
            builder.Services.AddSingleton<ILoggerProvider>(_ => new Logging.DailyFileLoggerProvider(
                logDirectory, TimeProvider.System, () => accessor.HttpContext?.Items[Endpoints.CrossCuttingMiddleware.TraceIdItem] as string));
        }

        var services = builder.Services;
        services.AddGatewayCore(configuration);
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddGatewayTenants(configuration);
        services.AddSingleton<UpstreamInvoker>();
        services.AddSingleton<CopilotAccountPool>();
        services.AddSingleton<TenantAccountPools>();
        services.AddSingleton<CopilotForwarder>();
        services.AddGatewayProviders();
        services.AddSingleton<EffectiveSettings>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<Limits.AdmissionControl>();
        services.AddSingleton<Pricing.PriceCatalog>();
        services.AddGatewayUsage(options, postgres, configuration);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayMetrics.MeterName, "Gateway.Usage", "Gateway.Grains", "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
            .AddPrometheusExporter());
        services.AddSingleton(new StartupNotes(generatedAdminKey, unknownFields, launch.Console));
        services.AddHealthChecks().AddCheck<ClusterReadyCheck>("orleans", tags: ["ready"]);
        if (launch.ServeHttp)
        {
            services.AddHostedService<StartupReporter>();
        }

        if (options.IsCluster)
        {
            builder.UseOrleansClient(client => client.ConfigureGatewayClient(options, postgres!));
        }
        else
        {
            builder.UseOrleans(silo => silo.ConfigureGatewaySilo(options, null));
        }
        launch.ConfigureBuilder?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<CrossCuttingMiddleware>();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.UseRouting();
        app.UseMiddleware<UsageMiddleware>();
        app.MapOperationsEndpoints();
        app.MapOpenAIEndpoints();
        app.MapMessagesEndpoints();
        app.MapResponsesEndpoints();
        app.MapProviderEndpoints();
        app.MapCopilotQuotaEndpoints();
        app.MapTokenEndpoint();
        app.MapAdminEndpoints();
        app.MapUsageEndpoints();
        return app;
    }

    private static GatewayOptions Bind(IConfiguration configuration)
    {
        var options = new GatewayOptions();
        configuration.GetSection(GatewayOptions.SectionName).Bind(options);
        return options;
    }

    /// <summary>config.json sits after appsettings and before environment variables and the command line (SPEC §0).</summary>
    private static void InsertConfigFile(ConfigurationManager configuration, string dataDir)
    {
        var source = new PrefixedJsonFileConfigurationSource
        {
            Path = StandaloneConfigFile.FileName,
            Optional = true,
            ReloadOnChange = true,
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(dataDir),
        };
        var sources = ((IConfigurationBuilder)configuration).Sources;
        var index = 0;
        for (; index < sources.Count; index++)
        {
            if (sources[index] is EnvironmentVariablesConfigurationSource { Prefix: null or "" })
            {
                break;
            }
        }
        sources.Insert(index, source);
    }

    private static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string FormatHost(string host) => host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
}
