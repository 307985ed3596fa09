using System.Text.Json;
using Gateway.Api.Accounts;
using Gateway.Api.Auth;
using Gateway.Api.Catalog;
using Gateway.Api.Errors;
using Gateway.Api.Forwarding;
using Gateway.Api.Messages;
using Gateway.Api.OpenAI;
using Gateway.Api.Providers;
using Gateway.Api.Usage;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Endpoints;

/// <summary>The OpenAI-dialect routes on Copilot (SPEC §11.1, §11.3, §11.4), each also served without <c>/v1</c>.</summary>
public static class OpenAIEndpoints
{
    public static IEndpointRouteBuilder MapOpenAIEndpoints(this IEndpointRouteBuilder routes)
    {
        foreach (var prefix in new[] { "/v1", "" })
        {
            var group = routes.MapGroup(prefix).RequireGatewayKey();
            group.MapPost("/chat/completions", ChatCompletionsAsync);
            group.MapPost("/embeddings", EmbeddingsAsync);
            group.MapGet("/models", ModelsAsync);
        }
        return routes;
    }

    /// <summary><c>POST /v1/chat/completions</c>: body and stream relayed unchanged but for the fields SPEC §11.1 fills in.</summary>
    private static async Task ChatCompletionsAsync(HttpContext context, CopilotForwarder forwarder, UpstreamInvoker upstream, IOptions<GatewayOptions> options,
        Limits.AdmissionControl admission, ProviderOpenAIHandler providers)
    {
        const ErrorDialect dialect = ErrorDialect.OpenAI;
        var usage = context.TrackUsage("chat_completions", "chat");
        if (await ReadBodyAsync(context, usage, requireMessages: true) is not var (body, facts))
        {
            return;
        }
        usage.Initiator = facts.Initiator;
        var gateway = options.Value;
        if (await RouteModelAsync(context, facts.Model!) is not { } requested)
        {
            return;
        }
        if (requested.Provider is { } provider)
        {
            await providers.ChatCompletionsAsync(context, body, provider, requested.Model, facts.MaxTokens);
            return;
        }
        // Reservation estimate (SPEC §16.2): prompt ≈ body bytes / 4, plus the completion allowance (4096 when unset).
        if (!await admission.AdmitAsync(context, dialect, requested.Model, body.Length / 4, facts.MaxTokens ?? 4096, facts.Stream))
        {
            return;
        }
        var interactionId = SessionHeaders.InteractionId(context.Request.Headers);
        usage.SessionId = interactionId ?? "";
        var result = await forwarder.SendAsync(context, dialect, interactionId, selection =>
        {
            var model = ModelLookup.Resolve(requested.Model, selection.Catalog!);
            usage.Model = model.Id;
            var patch = new JsonBodyPatch();
            if (!string.Equals(model.Id, facts.Model, StringComparison.Ordinal))
            {
                patch.ReplaceString(facts.ModelValueRange, model.Id);
            }
            if (!facts.HasMaxTokens && model.Info?.MaxOutputTokens is { } maxOutput)
            {
                patch.Add("max_tokens", maxOutput);
            }
            if (!facts.HasReasoningEffort && model.Id.StartsWith("gpt-5-mini", StringComparison.Ordinal)
                && gateway.ModelReasoningEfforts.TryGetValue(model.Id, out var effort))
            {
                patch.Add("reasoning_effort", effort);
            }
            return new CopilotRequest
            {
                Path = "/chat/completions",
                Body = patch.IsEmpty ? body : patch.Apply(body),
                Dialect = dialect,
                Initiator = facts.Initiator,
                Vision = facts.HasImage,
                InteractionId = interactionId,
            };
        });
        if (result.Response is { } response)
        {
            using (response)
            {
                await ResponseRelay.RelayAsync(context, response, upstream.IdleTimeout, dialect);
            }
        }
    }

    /// <summary><c>POST /v1/embeddings</c>, relayed to <c>{copilot}/embeddings</c>.</summary>
    private static async Task EmbeddingsAsync(HttpContext context, CopilotForwarder forwarder, UpstreamInvoker upstream, ProviderOpenAIHandler providers)
    {
        const ErrorDialect dialect = ErrorDialect.OpenAI;
        var usage = context.TrackUsage("embeddings", "embeddings");
        if (await ReadBodyAsync(context, usage, requireMessages: false) is not var (body, facts))
        {
            return;
        }
        if (await RouteModelAsync(context, facts.Model!) is not { } requested)
        {
            return;
        }
        if (requested.Provider is { } provider)
        {
            await providers.EmbeddingsAsync(context, body, provider, requested.Model);
            return;
        }
        var result = await forwarder.SendAsync(context, dialect, null, selection =>
        {
            var model = ModelLookup.Resolve(requested.Model, selection.Catalog!);
            var patch = new JsonBodyPatch();
            if (!string.Equals(model.Id, facts.Model, StringComparison.Ordinal))
            {
                patch.ReplaceString(facts.ModelValueRange, model.Id);
            }
            usage.Model = model.Id;
            return new CopilotRequest { Path = "/embeddings", Body = patch.IsEmpty ? body : patch.Apply(body), Dialect = dialect };
        });
        if (result.Response is { } response)
        {
            using (response)
            {
                await ResponseRelay.RelayAsync(context, response, upstream.IdleTimeout, dialect);
            }
        }
    }

    /// <summary>Reads and scans an OpenAI body; bad JSON or a missing <c>model</c> (or <c>messages</c>) → 400 (SPEC §17).</summary>
    private static async Task<(byte[] Body, ChatBodyFacts Facts)?> ReadBodyAsync(HttpContext context, RequestUsage usage, bool requireMessages)
    {
        const ErrorDialect dialect = ErrorDialect.OpenAI;
        if (await RequestBody.ReadAsync(context, dialect) is not { } body)
        {
            return null;
        }
        if (!ChatBodyFacts.TryScan(body, out var facts))
        {
            await RequestBody.WriteInvalidJsonAsync(context, dialect);
            return null;
        }
        usage.Model = facts.Model ?? "";
        if (string.IsNullOrEmpty(facts.Model) || (requireMessages && !facts.HasMessages))
        {
            await ApiErrors.WriteAsync(context, dialect, StatusCodes.Status400BadRequest,
                string.IsNullOrEmpty(facts.Model) ? "'model' is required." : "'messages' is required and must be an array.", "invalid_request_error");
            return null;
        }
        return (body, facts);
    }

    /// <summary>
    /// <c>modelMappings</c> (SPEC §13.3), then <c>provider/model</c> aliases (SPEC §13.1). Returns the model to request
    /// (with its provider for an alias), or null when an error was written.
    /// </summary>
    private static async Task<(Provider? Provider, string Model)?> RouteModelAsync(HttpContext context, string model)
    {
        // The current map, with built-in defaults and admin edits (SPEC §13.3), not the start-up options.
        var requested = ModelMappings.Apply(model, context.RequestServices.GetRequiredService<Hosting.EffectiveSettings>().ModelMappings);
        if (ProviderAlias.TryParse(requested, out var providerName, out var providerModel))
        {
            var provider = await context.RequestServices.GetRequiredService<ProviderRouting>().ResolveAsync(context, ErrorDialect.OpenAI, providerName);
            return provider is null ? null : (provider, providerModel);
        }
        return (null, requested);
    }

    /// <summary><c>GET /v1/models</c> in OpenAI list shape with the extra fields of SPEC §11.4.</summary>
    private static async Task ModelsAsync(HttpContext context, CopilotAccountPool pool, TenantAccountPools tenantPools)
    {
        var allowed = await tenantPools.GetAsync(context.Caller().TenantId);
        var selection = await pool.AcquireAsync(null, allowed, context.RequestAborted);
        if (selection.Lease is null)
        {
            await ApiErrors.WriteAsync(context, ErrorDialect.OpenAI, selection.Status, selection.Error ?? "No GitHub account available.", retryAfter: selection.RetryAfter);
            return;
        }
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        ModelListWriter.Write(writer, selection.Catalog ?? ModelCatalog.Empty);
        await writer.FlushAsync(context.RequestAborted);
    }
}
