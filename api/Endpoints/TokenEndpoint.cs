using Gateway.Api.Auth;
using Gateway.Api.Errors;
using Gateway.Grains.Abstractions.Accounts;

namespace Gateway.Api.Endpoints;

/// <summary>
/// <c>GET /token</c> (SPEC §1.1, admin key only): <c>{"token": …}</c>, the current Copilot token of
/// <c>?account=&lt;login&gt;</c> or of the first account, for debugging an account against Copilot directly.
/// </summary>
public static class TokenEndpoint
{
    public static IEndpointRouteBuilder MapTokenEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("").RequireAdminKey().MapGet("/token", TokenAsync);
        return routes;
    }

    private static async Task TokenAsync(HttpContext context, IGrainFactory grains)
    {
        var login = context.Request.Query["account"].ToString();
        if (login.Length == 0)
        {
            var directory = await grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).GetAsync();
            if (directory.Logins.Count == 0)
            {
                await ApiErrors.WriteAsync(context, ErrorDialect.OpenAI, StatusCodes.Status503ServiceUnavailable, "No GitHub account configured");
                return;
            }
            login = directory.Logins[0];
        }
        var result = await grains.GetGrain<IGitHubAccountGrain>(login).GetLeaseAsync(0);
        if (result.Lease is not { } lease)
        {
            var (status, message) = result.Failure == LeaseFailure.NotRegistered
                ? (StatusCodes.Status404NotFound, $"account {login} not found")
                : (StatusCodes.Status503ServiceUnavailable, result.Message ?? $"account {login} has no valid Copilot token");
            await ApiErrors.WriteAsync(context, ErrorDialect.OpenAI, status, message, retryAfter: result.RetryAfter);
            return;
        }
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(new TokenResponse(lease.CopilotToken), context.RequestAborted);
    }

    private sealed record TokenResponse(string Token);
}
