using Gateway.Api.Errors;

namespace Gateway.Api.Auth;

/// <summary>Endpoint filters for key routes and admin routes (SPEC §1.2).</summary>
public static class AuthFilters
{
    private const string IdentityKey = "gw.identity";

    public static RouteGroupBuilder RequireGatewayKey(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var identity = await http.RequestServices.GetRequiredService<ApiKeyAuthenticator>().AuthenticateAsync(http.Request);
            if (identity is null)
            {
                await ApiErrors.WriteUnauthorizedAsync(http);
                return Results.Empty;
            }
            http.Items[IdentityKey] = identity;
            return await next(context);
        });
        return group;
    }

    public static RouteGroupBuilder RequireAdminKey(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!http.RequestServices.GetRequiredService<ApiKeyAuthenticator>().IsAdmin(http.Request))
            {
                await ApiErrors.WriteUnauthorizedAsync(http);
                return Results.Empty;
            }
            return await next(context);
        });
        return group;
    }

    public static CallerIdentity Caller(this HttpContext context)
        => context.Items[IdentityKey] as CallerIdentity ?? new CallerIdentity(ApiKeyAuthenticator.DefaultTenant, null);
}
