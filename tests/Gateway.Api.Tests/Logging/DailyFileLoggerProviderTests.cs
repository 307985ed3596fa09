using Gateway.Api.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Api.Tests.Logging;

/// <summary>Standalone's daily log files (SPEC §1.3): per area and UTC day, with trace ids, kept 7 days.</summary>
public sealed class DailyFileLoggerProviderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gw-logs-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 23, 59, 59, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Lines_GoToTheAreaFileOfTheirDay_WithTheTraceId()
    {
        string? trace = "trace-abc";
        using (var provider = new DailyFileLoggerProvider(_directory, _time, () => trace))
        {
            provider.CreateLogger("Gateway.Api.Forwarding.CopilotForwarder").LogWarning("upstream slow");
            provider.CreateLogger("Orleans.Runtime.Silo").LogError(new InvalidOperationException("boom"), "silo trouble");
            trace = null;
            _time.Advance(TimeSpan.FromSeconds(2)); // past midnight UTC: a new day, a new file
            provider.CreateLogger("Gateway.Api.Usage.UsageWriter").LogInformation("written {Count}", 3);
        }

        Assert.Equal(["gateway-2026-11-24.log", "gateway-2026-11-25.log", "orleans-2026-11-24.log"],
            Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["2026-11-24T23:59:59.000Z WARN  [trace-abc] Gateway.Api.Forwarding.CopilotForwarder: upstream slow"],
            File.ReadAllLines(Path.Combine(_directory, "gateway-2026-11-24.log")));
        Assert.Equal(["2026-11-25T00:00:01.000Z INFO  [-] Gateway.Api.Usage.UsageWriter: written 3"],
            File.ReadAllLines(Path.Combine(_directory, "gateway-2026-11-25.log")));
        var orleans = File.ReadAllLines(Path.Combine(_directory, "orleans-2026-11-24.log"));
        Assert.Equal("2026-11-24T23:59:59.000Z ERROR [trace-abc] Orleans.Runtime.Silo: silo trouble", orleans[0]);
        Assert.Equal("System.InvalidOperationException: boom", orleans[1]);
    }

    [Fact]
    public void FilesOlderThanSevenDays_AreRemoved()
    {
        foreach (var day in new[] { "2026-11-17", "2026-11-18", "2026-11-24" })
        {
            File.WriteAllText(Path.Combine(_directory, $"gateway-{day}.log"), "old\n");
        }
        File.WriteAllText(Path.Combine(_directory, "notes.txt"), "not a log\n");
        using (var provider = new DailyFileLoggerProvider(_directory, _time, () => null))
        {
            provider.CreateLogger("Gateway.Test").LogInformation("today");
        }

        // Kept: the 7 days up to today (18th..24th); the 17th is gone; other files are left alone.
        Assert.Equal(["gateway-2026-11-18.log", "gateway-2026-11-24.log", "notes.txt"],
            Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Gateway.Api.Endpoints.X", "gateway")]
    [InlineData("Orleans.Runtime.Catalog", "orleans")]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", "http")]
    [InlineData("System.Net.Http.HttpClient", "system")]
    public void AreaOf_Category(string category, string area) => Assert.Equal(area, DailyFileLoggerProvider.AreaOf(category));
}
