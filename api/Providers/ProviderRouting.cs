using Gateway.Api.Auth;
using Gateway.Api.Errors;
using Gateway.Api.Usage;

namespace Gateway.Api.Providers;

/// <summary>
/// The routing decision of SPEC §13.1 for one request: the named provider must be configured, enabled and allowed to
/// the caller's tenant (SPEC §16.1). Errors are written in the route's dialect.
/// </summary>
public sealed class ProviderRouting(ProviderRegistry registry, TenantProviderAccess access)
{
    /// <summary>The provider, with the request's usage marked as provider usage; null when an error was written.</summary>
    public async Task<Provider?> ResolveAsync(HttpContext context, ErrorDialect dialect, string name)
    {
        if (registry.Find(name) is not { } provider)
        {
            // SPEC §13.1 names invalid_request_error; the Anthropic dialect keeps its §17 type for a 404 (not_found_error).
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status404NotFound, $"Unknown or disabled provider '{name}'.",
                dialect == ErrorDialect.OpenAI ? "invalid_request_error" : null);
            return null;
        }
        if (context.Usage() is { } usage)
        {
            usage.Source = "provider";
            usage.ProviderName = provider.Name;
        }
        if (!await access.IsAllowedAsync(context.Caller().TenantId, provider.Name))
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status403Forbidden,
                $"This API key may not use provider '{provider.Name}'.", "permission_error");
            return null;
        }
        return provider;
    }
}
