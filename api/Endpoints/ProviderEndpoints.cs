using System.Buffers;
using System.Text.Json.Nodes;
using Gateway.Api.Auth;
using Gateway.Api.Catalog;
using Gateway.Api.Errors;
using Gateway.Api.Forwarding;
using Gateway.Api.Hosting;
using Gateway.Api.Messages;
using Gateway.Api.Providers;
using Gateway.Api.Tokens;
using Gateway.Api.Usage;

namespace Gateway.Api.Endpoints;

/// <summary>
/// The provider-scoped routes (SPEC §1.1, §13.1): <c>/&lt;name&gt;/v1/messages</c>, <c>…/messages/count_tokens</c>,
/// <c>…/models</c> and <c>…/responses</c> (the OpenAI ones also without <c>/v1</c>). Literal routes such as
/// <c>/v1/models</c> win over these by route precedence, reserved names are refused at start-up, and a segment that
/// names no configured provider answers 404 in the route's dialect.
/// </summary>
public static partial class ProviderEndpoints
{
    /// <summary>Response headers that describe one hop, never relayed (RFC 9110 §7.6.1).</summary>
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authenticate",
    };

    public static IEndpointRouteBuilder MapProviderEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/{provider}").RequireGatewayKey();
        group.MapPost("/v1/messages", MessagesAsync);
        group.MapPost("/v1/messages/count_tokens", CountTokensAsync);
        foreach (var prefix in new[] { "/v1", "" })
        {
            group.MapGet(prefix + "/models", ModelsAsync);
            group.MapPost(prefix + "/responses", ResponsesAsync);
        }
        return routes;
    }

    private static async Task MessagesAsync(string provider, HttpContext context, ProviderRouting routing, ProviderMessagesHandler handler, EffectiveSettings settings)
    {
        var usage = context.TrackUsage("provider_messages", "chat");
        if (await MessagesEndpoints.ReadRequestAsync(context) is not { } request)
        {
            return;
        }
        usage.Model = (string)request["model"]!;
        SecurityMonitorDetector.ApplyClaudeAutoModel(request, settings.Options.ClaudeAutoModel);
        if (await routing.ResolveAsync(context, ErrorDialect.Anthropic, provider) is not { } target)
        {
            return;
        }
        await handler.HandleAsync(context, request, target, RouteModel((string)request["model"]!, target.Name, settings));
    }

    /// <summary>SPEC §14 step 1: on a provider route the count is always the local estimate, with the provider's model.</summary>
    private static async Task CountTokensAsync(string provider, HttpContext context, ProviderRouting routing, EffectiveSettings settings)
    {
        if (await MessagesEndpoints.ReadRequestAsync(context) is not { } request)
        {
            return;
        }
        if (await routing.ResolveAsync(context, ErrorDialect.Anthropic, provider) is not { } target)
        {
            return;
        }
        CountTokensRequest.Prepare(request);
        await WriteEstimateAsync(context, request, RouteModel((string)request["model"]!, target.Name, settings), settings);
    }

    /// <summary>The local estimate of SPEC §14 steps 3–6 for a provider model (no catalogue entry: <c>o200k_base</c>).</summary>
    internal static async Task WriteEstimateAsync(HttpContext context, JsonObject request, string model, EffectiveSettings settings)
    {
        long inputTokens;
        try
        {
            request["model"] = model;
            inputTokens = CountTokensEndpoint.Estimate(request, new ResolvedModel(model, null), context.Request.Headers.ContainsKey("anthropic-beta"),
                settings.Options.ClaudeTokenMultiplier);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // SPEC §14 step 6: any exception → {"input_tokens": 1}.
            inputTokens = 1;
        }
        var output = new ArrayBufferWriter<byte>(32);
        CountTokensRequest.WriteResponse(output, inputTokens);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = output.WrittenCount;
        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
    }

    private static async Task ResponsesAsync(string provider, HttpContext context, ProviderRouting routing, ProviderOpenAIHandler handler, EffectiveSettings settings)
    {
        const ErrorDialect dialect = ErrorDialect.OpenAI;
        var usage = context.TrackUsage("responses", "chat");
        if (await RequestBody.ReadAsync(context, dialect) is not { } body)
        {
            return;
        }
        if (!ResponsesBodyFacts.TryScan(body, out var facts))
        {
            await RequestBody.WriteInvalidJsonAsync(context, dialect);
            return;
        }
        usage.Model = facts.Model ?? "";
        usage.Initiator = facts.Initiator;
        if (string.IsNullOrEmpty(facts.Model))
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status400BadRequest, "'model' is required.", "invalid_request_error");
            return;
        }
        if (await routing.ResolveAsync(context, dialect, provider) is not { } target)
        {
            return;
        }
        await handler.ResponsesAsync(context, body, target, RouteModel(facts.Model, target.Name, settings), facts.MaxOutputTokens, facts.Stream);
    }

    /// <summary><c>GET /&lt;name&gt;/v1/models</c> → <c>GET {baseUrl}/v1/models</c> with provider auth; status and body as is (SPEC §13.1).</summary>
    private static async Task ModelsAsync(string provider, HttpContext context, ProviderRouting routing, UpstreamInvoker upstream)
    {
        const ErrorDialect dialect = ErrorDialect.OpenAI;
        if (await routing.ResolveAsync(context, dialect, provider) is not { } target)
        {
            return;
        }
        var ct = context.RequestAborted;
        using var message = ProviderForwarder.CreateMessage(target, new ProviderRequest { Endpoint = "/models", Method = HttpMethod.Get });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(upstream.HeadersTimeout);
        HttpResponseMessage response;
        try
        {
            response = await upstream.Invoker.SendAsync(message, timeout.Token);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (OperationCanceledException)
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status504GatewayTimeout, $"Provider '{target.Name}' did not answer in time.");
            return;
        }
        catch (HttpRequestException ex)
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status502BadGateway, $"Could not reach provider '{target.Name}': {ex.Message}");
            return;
        }
        using (response)
        {
            var http = context.Response;
            http.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    http.Headers[header.Key] = header.Value.ToArray();
                }
            }
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await body.CopyToAsync(http.Body, ct);
        }
    }

    /// <summary>
    /// The model on a provider route: <c>modelMappings</c> first (SPEC §13.3); a mapped alias of this same provider is
    /// stripped to its model.
    /// </summary>
    private static string RouteModel(string model, string provider, EffectiveSettings settings)
    {
        var mapped = ModelMappings.Apply(model, settings.ModelMappings);
        return ProviderAlias.TryParse(mapped, out var name, out var aliased) && name == provider ? aliased : mapped;
    }
}
