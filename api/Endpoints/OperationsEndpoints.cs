using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Api.Endpoints;

/// <summary><c>GET /</c>, <c>/healthz/live</c>, <c>/healthz/ready</c> (SPEC §1.1, DESIGN §5).</summary>
public static class OperationsEndpoints
{
    public static IEndpointRouteBuilder MapOperationsEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => Results.Text("Server running", "text/plain"));
        routes.MapHealthChecks("/healthz/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        routes.MapHealthChecks("/healthz/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return routes;
    }
}

/// <summary>Ready once the Orleans client (or co-hosted silo) can reach the account directory grain.</summary>
public sealed class ClusterReadyCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<Grains.Abstractions.Accounts.IAccountDirectoryGrain>(Grains.Abstractions.Accounts.IAccountDirectoryGrain.DefaultKey)
                .GetAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Orleans cluster is not reachable: " + ex.Message);
        }
    }
}
