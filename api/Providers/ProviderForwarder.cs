using System.Net;
using System.Net.Http.Headers;
using Gateway.Api.Errors;
using Gateway.Api.Forwarding;
using Gateway.Grains.Abstractions.Providers;

namespace Gateway.Api.Providers;

/// <summary>
/// Sends one request to a provider (SPEC §13.2) and returns its response once 2xx headers arrived. The request
/// carries only the provider's own credentials (per <see cref="Provider.AuthType"/>), its configured headers and the
/// headers the caller chose to forward: never the client's gateway key nor any Copilot header. Anything else —
/// connect failure (502), header timeout (504), upstream non-2xx (same status, body in the route's dialect or
/// wrapped, SPEC §17) — is answered here and reported as null.
/// </summary>
/// A provider out of service (its circuit open after failures, or cooling down after a 429; DESIGN §3) is answered
/// 503 with <c>Retry-After</c> at once, without a call to it.
public sealed partial class ProviderForwarder(UpstreamInvoker upstream, ProviderHealthMonitor health, ILogger<ProviderForwarder> logger)
{
    public async Task<HttpResponseMessage?> SendAsync(HttpContext context, ErrorDialect dialect, Provider provider, ProviderRequest request)
    {
        var ct = context.RequestAborted;
        if (!health.IsAvailable(provider.Name, out var wait, out var reason))
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status503ServiceUnavailable,
                $"Provider '{provider.Name}' is temporarily unavailable ({reason}); retry later.", retryAfter: wait);
            return null;
        }
        var message = CreateMessage(provider, request);
        HttpResponseMessage response;
        using var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        headersTimeout.CancelAfter(upstream.HeadersTimeout);
        try
        {
            response = await upstream.Invoker.SendAsync(message, headersTimeout.Token);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            health.Report(provider.Name, new ProviderOutcome(ProviderOutcomeKind.Failure, Reason: "timeout"));
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status504GatewayTimeout, $"Provider '{provider.Name}' did not answer in time.");
            return null;
        }
        catch (HttpRequestException ex)
        {
            health.Report(provider.Name, new ProviderOutcome(ProviderOutcomeKind.Failure, Reason: "connect error"));
            LogProviderFailed(logger, provider.Name, request.Endpoint, ex.Message);
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status502BadGateway, $"Could not reach provider '{provider.Name}': {ex.Message}");
            return null;
        }
        if (response.IsSuccessStatusCode)
        {
            health.Report(provider.Name, new ProviderOutcome(ProviderOutcomeKind.Success));
            return response;
        }
        var status = (int)response.StatusCode;
        if (status == StatusCodes.Status429TooManyRequests)
        {
            health.Report(provider.Name, new ProviderOutcome(ProviderOutcomeKind.RateLimited, CopilotForwarder.RetryAfter(response)));
        }
        else if (status >= 500)
        {
            health.Report(provider.Name, new ProviderOutcome(ProviderOutcomeKind.Failure, Reason: $"HTTP {status}"));
        }
        using (response)
        {
            LogProviderStatus(logger, provider.Name, request.Endpoint, (int)response.StatusCode);
            await UpstreamErrorResponse.WriteAsync(context, dialect, response, ct);
        }
        return null;
    }

    internal static HttpRequestMessage CreateMessage(Provider provider, ProviderRequest request)
    {
        var message = new HttpRequestMessage(request.Method, provider.Url(request.Endpoint))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        if (request.Body is { } body)
        {
            var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            message.Content = content;
        }
        var headers = message.Headers;
        foreach (var (name, value) in provider.Headers)
        {
            headers.TryAddWithoutValidation(name, value);
        }
        foreach (var (name, value) in request.ExtraHeaders)
        {
            headers.Remove(name);
            headers.TryAddWithoutValidation(name, value);
        }
        // The provider's credential goes last so that no configured or forwarded header can replace it.
        if (provider.ApiKey is { Length: > 0 } key)
        {
            if (provider.AuthType == Grains.Options.ProviderAuthTypes.ApiKeyHeader)
            {
                headers.Remove("x-api-key");
                headers.TryAddWithoutValidation("x-api-key", key);
            }
            else
            {
                headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
        }
        return message;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider {Provider} call to {Endpoint} failed: {Reason}")]
    private static partial void LogProviderFailed(ILogger logger, string provider, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Provider {Provider} answered {Endpoint} with HTTP {Status}")]
    private static partial void LogProviderStatus(ILogger logger, string provider, string endpoint, int status);
}
