using System.Diagnostics.Metrics;
using Gateway.Api.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Api.Tests.Usage;

/// <summary>A recorder, journal and writer over a store, wired as <c>AddGatewayUsage</c> does, for one test.</summary>
internal sealed class UsagePipeline : IAsyncDisposable
{
    private readonly ServiceProvider _metricsServices;
    private bool _stopped;

    public UsagePipeline(IUsageStore store, string journalDirectory, UsageOptions? options = null)
    {
        Options = options ?? new UsageOptions
        {
            BatchDelay = TimeSpan.FromMilliseconds(10),
            InitialRetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
            JournalReplayInterval = TimeSpan.FromMilliseconds(50),
        };
        _metricsServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        MeterFactory = _metricsServices.GetRequiredService<IMeterFactory>();
        Journal = new UsageJournal(journalDirectory);
        Metrics = new UsageMetrics(MeterFactory);
        Recorder = new UsageRecorder(Options, Journal, Metrics);
        Writer = new UsageWriter(Recorder, store, Options, Metrics, TimeProvider.System, NullLogger<UsageWriter>.Instance);
    }

    public UsageOptions Options { get; }

    public IMeterFactory MeterFactory { get; }

    public UsageJournal Journal { get; }

    public UsageMetrics Metrics { get; }

    public UsageRecorder Recorder { get; }

    public UsageWriter Writer { get; }

    public Task StartAsync() => Writer.StartAsync(CancellationToken.None);

    /// <summary>Graceful stop; <paramref name="deadline"/> plays the host's shutdown timeout.</summary>
    public async Task StopAsync(TimeSpan deadline)
    {
        _stopped = true;
        using var timeout = new CancellationTokenSource(deadline);
        await Writer.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync(TimeSpan.FromSeconds(5));
        }
        Writer.Dispose();
        Journal.Dispose();
        await _metricsServices.DisposeAsync();
    }
}
