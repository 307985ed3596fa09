using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Errors;
using Gateway.Api.Forwarding;
using Gateway.Api.Responses;
using Gateway.Api.Usage;
using Gateway.Grains.Options;

namespace Gateway.Api.Providers;

/// <summary>
/// OpenAI-dialect requests bound for a provider (SPEC §13.1): <c>/v1/chat/completions</c> (openai-compatible
/// providers), <c>/v1/responses</c> and <c>/&lt;name&gt;/v1/responses</c> (openai-responses providers),
/// <c>/v1/embeddings</c> (OpenAI-type providers). The client's body goes on in its own dialect with the model
/// replaced and the §13.4 options applied; the answer is relayed as it comes.
/// </summary>
public sealed class ProviderOpenAIHandler(ProviderForwarder forwarder, UpstreamInvoker upstream, Limits.AdmissionControl admission)
{
    private const ErrorDialect Dialect = ErrorDialect.OpenAI;

    /// <param name="body">The client's JSON body, already checked to be an object with a <c>model</c>.</param>
    public async Task ChatCompletionsAsync(HttpContext context, byte[] body, Provider provider, string model, long? maxTokens)
    {
        var options = provider.Model(model);
        if (!await CheckTypeAsync(context, provider, options, "/v1/chat/completions", ProviderTypes.OpenAICompatible))
        {
            return;
        }
        if (Prepare(context, body, options, hasTopK: true) is not { } request)
        {
            await WriteInvalidAsync(context);
            return;
        }
        var stream = Gateway.Api.Translation.JsonNodes.IsTrue(request["stream"]);
        if (stream && request["stream_options"] is null)
        {
            // Without it an OpenAI-compatible upstream reports no usage on a stream, and the usage record (SPEC §15.2) stays empty.
            request["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        if (!await admission.AdmitAsync(context, Dialect, provider.Name + "/" + model, body.Length / 4, maxTokens ?? 4096, stream))
        {
            return;
        }
        if (await forwarder.SendAsync(context, Dialect, provider, new ProviderRequest { Endpoint = "/chat/completions", Body = ProviderBodies.Serialize(request) }) is { } response)
        {
            using (response)
            {
                await ResponseRelay.RelayAsync(context, response, upstream.IdleTimeout, Dialect);
            }
        }
    }

    public async Task ResponsesAsync(HttpContext context, byte[] body, Provider provider, string model, long? maxOutputTokens, bool stream)
    {
        var options = provider.Model(model);
        if (!await CheckTypeAsync(context, provider, options, "/v1/responses", ProviderTypes.OpenAIResponses))
        {
            return;
        }
        if (Prepare(context, body, options, hasTopK: false) is not { } request)
        {
            await WriteInvalidAsync(context);
            return;
        }
        if (!await admission.AdmitAsync(context, Dialect, provider.Name + "/" + model, body.Length / 4, maxOutputTokens ?? 4096, stream))
        {
            return;
        }
        if (await forwarder.SendAsync(context, Dialect, provider, new ProviderRequest { Endpoint = "/responses", Body = ProviderBodies.Serialize(request) }) is { } response)
        {
            using (response)
            {
                // The Responses relay reads usage from response.completed; a provider stream is not retried.
                await ResponsesRelay.RelayAsync(context, response, upstream.IdleTimeout, canRetry: false);
            }
        }
    }

    public async Task EmbeddingsAsync(HttpContext context, byte[] body, Provider provider, string model)
    {
        var options = provider.Model(model);
        if (options.Type == ProviderTypes.Anthropic)
        {
            await ApiErrors.WriteAsync(context, Dialect, StatusCodes.Status400BadRequest,
                $"Provider '{provider.Name}' (type anthropic) does not serve /v1/embeddings.", "invalid_request_error");
            return;
        }
        if (Prepare(context, body, ProviderModel.Default(model, options.Type), hasTopK: false) is not { } request)
        {
            await WriteInvalidAsync(context);
            return;
        }
        if (await forwarder.SendAsync(context, Dialect, provider, new ProviderRequest { Endpoint = "/embeddings", Body = ProviderBodies.Serialize(request) }) is { } response)
        {
            using (response)
            {
                await ResponseRelay.RelayAsync(context, response, upstream.IdleTimeout, Dialect);
            }
        }
    }

    private static async Task<bool> CheckTypeAsync(HttpContext context, Provider provider, ProviderModel options, string route, string type)
    {
        if (options.Type == type)
        {
            return true;
        }
        await ApiErrors.WriteAsync(context, Dialect, StatusCodes.Status400BadRequest,
            $"Provider '{provider.Name}' model '{options.Id}' (type {options.Type}) is not served on {route}; it needs type {type}.", "invalid_request_error");
        return false;
    }

    private static JsonObject? Prepare(HttpContext context, byte[] body, ProviderModel options, bool hasTopK)
    {
        JsonObject? request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        if (request is null)
        {
            return null;
        }
        request["model"] = options.Id;
        ProviderBodies.Apply(request, options, hasTopK);
        if (context.Usage() is { } usage)
        {
            usage.Model = options.Id;
        }
        return request;
    }

    private static Task WriteInvalidAsync(HttpContext context)
        => ApiErrors.WriteAsync(context, Dialect, StatusCodes.Status400BadRequest, "Request body must be a JSON object.", "invalid_request_error");
}
