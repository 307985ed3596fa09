using Gateway.Api.Auth;

namespace Gateway.Api.Admin;

/// <summary>The admin API (SPEC §16.1, §13.3): admin key only (SPEC §1.2).</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin").RequireAdminKey();
        TenantAdminEndpoints.Map(admin);
        AccountAdminEndpoints.Map(admin);
        ConfigAdminEndpoints.Map(admin);
        return routes;
    }

    /// <summary>Services behind tenant keys and the admin API; call once from the host.</summary>
    public static IServiceCollection AddGatewayTenants(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KeyCacheOptions>().Bind(configuration.GetSection(KeyCacheOptions.SectionName));
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<ModelMappingsStore>();
        services.AddHostedService<ModelMappingsRefresher>();
        return services;
    }
}
