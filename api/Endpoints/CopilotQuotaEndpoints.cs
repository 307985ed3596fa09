using Gateway.Api.Accounts;
using Gateway.Api.Auth;
using Gateway.Api.Errors;
using Gateway.Grains.Abstractions.Accounts;

namespace Gateway.Api.Endpoints;

/// <summary><c>GET /usage</c>: the Copilot quota JSON of the serving account, unchanged (SPEC §15.1).</summary>
public static class CopilotQuotaEndpoints
{
    public static IEndpointRouteBuilder MapCopilotQuotaEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("").RequireGatewayKey().MapGet("/usage", QuotaAsync);
        return routes;
    }

    private static async Task QuotaAsync(HttpContext context, CopilotAccountPool pool, TenantAccountPools tenantPools, IGrainFactory grains, ApiKeyAuthenticator auth)
    {
        string? login = null;
        // An admin key may pick the account.
        if (context.Request.Query["account"].ToString() is { Length: > 0 } requested && auth.IsAdmin(context.Request))
        {
            login = requested;
        }
        if (login is null)
        {
            var selection = await pool.AcquireAsync(null, await tenantPools.GetAsync(context.Caller().TenantId), context.RequestAborted);
            if (selection.Lease is null)
            {
                await ApiErrors.WriteAsync(context, ErrorDialect.OpenAI, selection.Status, selection.Error ?? "No GitHub account available.");
                return;
            }
            login = selection.Lease.Login;
        }
        var quota = await grains.GetGrain<IGitHubAccountGrain>(login).GetQuotaAsync();
        if (quota.Status is < 200 or >= 300 || quota.Json is null)
        {
            await ApiErrors.WriteAsync(context, ErrorDialect.OpenAI, StatusCodes.Status502BadGateway, "Could not read Copilot usage", "error");
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(quota.Json, context.RequestAborted);
    }
}
