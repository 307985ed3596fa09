using Gateway.Api.Auth;
using Gateway.Api.Catalog;
using Gateway.Api.Errors;
using Gateway.Api.Forwarding;
using Gateway.Api.Hosting;
using Gateway.Api.Messages;
using Gateway.Api.Responses;
using Gateway.Api.Usage;

namespace Gateway.Api.Endpoints;

/// <summary>
/// <c>POST /v1/responses</c> (and <c>/responses</c>) on Copilot over HTTP (SPEC §11.2): the client's Responses body,
/// sanitised, goes to <c>{copilot}/responses</c>; the answer comes back as it came but for the stream item id fix.
/// </summary>
public static partial class ResponsesEndpoints
{
    private const ErrorDialect Dialect = ErrorDialect.OpenAI;

    public static IEndpointRouteBuilder MapResponsesEndpoints(this IEndpointRouteBuilder routes)
    {
        foreach (var prefix in new[] { "/v1", "" })
        {
            routes.MapGroup(prefix).RequireGatewayKey().MapPost("/responses", ResponsesAsync);
        }
        return routes;
    }

    private static async Task ResponsesAsync(HttpContext context, CopilotForwarder forwarder, UpstreamInvoker upstream, EffectiveSettings settings,
        Limits.AdmissionControl admission, ILoggerFactory loggers, Providers.ProviderRouting providers, Providers.ProviderOpenAIHandler providerHandler)
    {
        var usage = context.TrackUsage("responses", "chat");
        if (await RequestBody.ReadAsync(context, Dialect) is not { } body)
        {
            return;
        }
        if (!ResponsesBodyFacts.TryScan(body, out var facts))
        {
            await RequestBody.WriteInvalidJsonAsync(context, Dialect);
            return;
        }
        usage.Model = facts.Model ?? "";
        if (string.IsNullOrEmpty(facts.Model))
        {
            await ApiErrors.WriteAsync(context, Dialect, StatusCodes.Status400BadRequest, "'model' is required.", "invalid_request_error");
            return;
        }
        usage.Initiator = facts.Initiator;
        // The current map, with built-in defaults and admin edits (SPEC §13.3).
        var requested = ModelMappings.Apply(facts.Model, settings.ModelMappings);
        if (ProviderAlias.TryParse(requested, out var providerName, out var providerModel))
        {
            // SPEC §13.1: the alias goes to the provider (an openai-responses one).
            if (await providers.ResolveAsync(context, Dialect, providerName) is { } provider)
            {
                await providerHandler.ResponsesAsync(context, body, provider, providerModel, facts.MaxOutputTokens, facts.Stream);
            }
            return;
        }
        // Reservation estimate (SPEC §16.2): prompt ≈ body bytes / 4, plus max_output_tokens (4096 when unset).
        if (!await admission.AdmitAsync(context, Dialect, requested, body.Length / 4, facts.MaxOutputTokens ?? 4096, facts.Stream))
        {
            return;
        }
        var headers = context.Request.Headers;
        var interactionId = RootSession.FromResponsesHeaders(name => headers.TryGetValue(name, out var v) ? v.ToString() : null) is { } session
            ? RootSession.DeriveUuid(session)
            : null;
        usage.SessionId = interactionId ?? "";
        var options = settings.Options;

        // §11.2: a stream that fails before any event reached the client is retried once.
        for (var attempt = 0; ; attempt++)
        {
            string? unsupportedModel = null;
            var result = await forwarder.SendAsync(context, Dialect, interactionId, selection =>
            {
                var model = ModelLookup.Resolve(requested, selection.Catalog!);
                usage.Model = model.Id;
                if (model.Info is not { } info || !(info.Supports("/responses") || info.Supports("ws:/responses")))
                {
                    unsupportedModel = model.Id;
                    return null;
                }
                var sanitized = ResponsesSanitizer.Sanitize(body, new ResponsesSanitizeOptions
                {
                    UpstreamModelId = model.Id,
                    Model = info,
                    UseFunctionApplyPatch = options.UseFunctionApplyPatch,
                    UseWebSearch = options.UseResponsesApiWebSearch,
                    ContextManagement = options.ContextManagement.Responses,
                    CompactThresholds = settings.CompactThresholds,
                });
                return new CopilotRequest
                {
                    Path = "/responses",
                    Body = sanitized,
                    Dialect = Dialect,
                    Initiator = facts.Initiator,
                    Vision = facts.HasImage,
                    InteractionId = interactionId,
                };
            });
            if (unsupportedModel is not null)
            {
                await ApiErrors.WriteAsync(context, Dialect, StatusCodes.Status400BadRequest,
                    $"Model '{unsupportedModel}' does not support the Responses API (/responses).", "invalid_request_error");
                return;
            }
            if (result.Response is not { } response)
            {
                return;
            }
            ResponsesRelayOutcome outcome;
            using (response)
            {
                outcome = await ResponsesRelay.RelayAsync(context, response, upstream.IdleTimeout, canRetry: attempt == 0);
            }
            if (outcome != ResponsesRelayOutcome.FailedBeforeFirstEvent)
            {
                return;
            }
            LogStreamRetried(loggers.CreateLogger(typeof(ResponsesEndpoints).FullName!), usage.Model);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Responses stream for {Model} failed before its first event; retrying once.")]
    private static partial void LogStreamRetried(ILogger logger, string model);
}
