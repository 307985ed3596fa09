namespace Gateway.Api.Providers;

public static class ProviderServiceCollectionExtensions
{
    /// <summary>The provider registry, routing and handlers of SPEC §13 (all singletons; no per-request state).</summary>
    public static IServiceCollection AddGatewayProviders(this IServiceCollection services)
    {
        services.AddSingleton<ProviderRegistry>();
        services.AddSingleton<TenantProviderAccess>();
        services.AddSingleton<ProviderRouting>();
        services.AddSingleton<ProviderForwarder>();
        services.AddSingleton<ProviderHealthMonitor>();
        services.AddSingleton<ProviderMessagesHandler>();
        services.AddSingleton<ProviderOpenAIHandler>();
        return services;
    }
}
