using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Admin;

/// <summary>
/// Cluster mode: polls <see cref="ModelMappingsStore.RefreshAsync"/> every two seconds, so an edit made through any
/// front end applies on every other one within seconds (SPEC §0). One small grain call per period per front end.
/// </summary>
public sealed partial class ModelMappingsRefresher(ModelMappingsStore store, IOptions<GatewayOptions> options, ILogger<ModelMappingsRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsCluster)
        {
            return;
        }
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                await store.RefreshAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The cluster may not be reachable yet (start-up) or for a moment; the next tick tries again.
                RefreshFailed(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "modelMappings refresh failed: {Reason}")]
    private static partial void RefreshFailed(ILogger logger, string reason);
}
