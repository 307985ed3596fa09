using Gateway.Grains.GitHub;
using Gateway.Grains.Options;
using Gateway.Grains.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Grains.Hosting;

/// <summary>Services the grains (and the CLI's GitHub calls) need, shared by the silo and the API host.</summary>
public static class GatewayGrainServices
{
    public static IServiceCollection AddGatewayCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(GitHubClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(60))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        services.AddMetrics();
        services.TryAddSingleton<Diagnostics.GrainMetrics>();
        services.TryAddSingleton<EditorVersion>();
        services.TryAddSingleton<GitHubClient>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            var keyFile = options.IsCluster ? null : Path.Combine(options.ResolveDataDir(), "secret.key");
            return SecretProtector.Create(options.EncryptionKey, keyFile);
        });
        return services;
    }
}
