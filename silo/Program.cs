using Gateway.Grains.Hosting;
using Gateway.Grains.Options;
using Gateway.Grains.Storage.Postgres;
using OpenTelemetry.Metrics;

// Gateway.Silo: hosts the grains in cluster mode (DESIGN §1). `migrate` applies the database schema and exits
// (the Helm pre-install/upgrade hook); a normal start applies it too, under an advisory lock.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args.Where(a => a != "migrate").ToArray(),
    ContentRootPath = AppContext.BaseDirectory,
});
var options = new GatewayOptions { Mode = "cluster", Port = 8080 };
builder.Configuration.GetSection(GatewayOptions.SectionName).Bind(options);
var postgres = builder.Configuration.GetConnectionString("Postgres");
if (string.IsNullOrWhiteSpace(postgres))
{
    Console.Error.WriteLine("The silo needs a Postgres connection string (ConnectionStrings__Postgres).");
    return 2;
}
if (string.IsNullOrWhiteSpace(options.EncryptionKey))
{
    Console.Error.WriteLine("The silo needs Gateway__encryptionKey (base64 of 32 random bytes) to protect secrets at rest.");
    return 2;
}
options.Mode = "cluster";
builder.Configuration.AddInMemoryCollection([new("Gateway:mode", "cluster")]);

using (var loggerFactory = LoggerFactory.Create(l => l.AddConsole()))
{
    var result = await PostgresMigrator.MigrateAsync(postgres, loggerFactory.CreateLogger("Migrations"), CancellationToken.None);
    Console.WriteLine($"Database schema up to date: {result.Applied.Count} migration(s) applied now, {result.AlreadyApplied.Count} already present.");
}
if (args.Contains("migrate"))
{
    return 0;
}

builder.WebHost.UseUrls($"http://{(string.IsNullOrWhiteSpace(options.Host) ? "0.0.0.0" : options.Host)}:{options.Port}");
builder.Logging.AddFilter("Orleans", options.Verbose ? LogLevel.Information : LogLevel.Warning);
builder.Logging.AddFilter("Polly", LogLevel.Warning);
builder.Services.AddGatewayCore(builder.Configuration);
builder.Services.AddHealthChecks();
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(Gateway.Grains.Diagnostics.GrainMetrics.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting")
    .AddPrometheusExporter());
builder.UseOrleans(silo => silo.ConfigureGatewaySilo(options, postgres));

var app = builder.Build();
// SPEC §2.4: the VS Code version is looked up once at start; the fallback is sent until it is known.
_ = app.Services.GetRequiredService<Gateway.Grains.GitHub.EditorVersion>().GetAsync();
app.MapGet("/", () => Results.Text("Gateway silo running", "text/plain"));
app.MapPrometheusScrapingEndpoint("/metrics");
app.MapHealthChecks("/healthz/live");
app.MapHealthChecks("/healthz/ready");
await app.RunAsync();
return 0;
