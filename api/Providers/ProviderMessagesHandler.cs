using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Errors;
using Gateway.Api.Forwarding;
using Gateway.Api.Hosting;
using Gateway.Api.Messages;
using Gateway.Api.Translation;
using Gateway.Api.Translation.Chat;
using Gateway.Api.Translation.Responses;
using Gateway.Api.Usage;
using Gateway.Grains.Options;

namespace Gateway.Api.Providers;

/// <summary>
/// Anthropic Messages requests bound for a provider (SPEC §13.1, §13.2): <c>/v1/messages</c> with a
/// <c>provider/model</c> alias and <c>/&lt;name&gt;/v1/messages</c>. Pre-processing is §3.2 and §3.4 only (with
/// <c>smallModels.&lt;name&gt;</c>); then the model's type decides the upstream path: <c>anthropic</c> native
/// passthrough, <c>openai-compatible</c> through §5–§7, <c>openai-responses</c> through §9–§10.
/// </summary>
public sealed class ProviderMessagesHandler(ProviderForwarder forwarder, UpstreamInvoker upstream, EffectiveSettings settings, Limits.AdmissionControl admission)
{
    private const ErrorDialect Dialect = ErrorDialect.Anthropic;

    /// <summary>The default <c>anthropic-version</c> when the client sends none: Anthropic's API requires one.</summary>
    private const string DefaultAnthropicVersion = "2023-06-01";

    /// <param name="request">The parsed, checked request (claudeAutoModel and modelMappings already applied); mutated.</param>
    /// <param name="model">The provider's model id (the alias prefix stripped).</param>
    public async Task HandleAsync(HttpContext context, JsonObject request, Provider provider, string model)
    {
        var usage = context.Usage();
        var headers = context.Request.Headers;
        MessagesAnalysis analysis;
        try
        {
            analysis = MessagesPreprocessor.Process(request, new MessagesPreprocessOptions { CopilotSteps = false },
                name => headers.TryGetValue(name, out var v) ? v.ToString() : null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException or ArgumentException)
        {
            await ApiErrors.WriteAsync(context, Dialect, StatusCodes.Status400BadRequest, "Invalid request: " + ex.Message);
            return;
        }
        // SPEC §3.4 (and §3.1 step 5): the provider's small model, when configured and served by the provider.
        if ((analysis.IsWarmup || (analysis.IsCompact && settings.Options.CompactUseSmallModel))
            && settings.Options.SmallModels.TryGetValue(provider.Name, out var small) && !string.IsNullOrEmpty(small)
            && (provider.Models.Count == 0 || provider.Models.ContainsKey(small)))
        {
            model = small;
        }
        if (usage is not null)
        {
            usage.Model = model;
            usage.Initiator = analysis.Initiator;
            usage.SessionId = analysis.RootSessionId ?? "";
            usage.UserId = analysis.UserId ?? "";
        }
        var stream = JsonNodes.IsTrue(request["stream"]);
        var maxTokens = request["max_tokens"] is JsonValue mt && mt.TryGetValue<long>(out var m) ? m : 4096;
        if (!await admission.AdmitAsync(context, Dialect, provider.Name + "/" + model, context.Request.ContentLength.GetValueOrDefault() / 4, maxTokens, stream))
        {
            return;
        }

        var options = provider.Model(model);
        ProviderRequest upstreamRequest;
        string? toolSearchName = null;
        try
        {
            upstreamRequest = options.Type switch
            {
                ProviderTypes.Anthropic => BuildNative(request, options, headers),
                ProviderTypes.OpenAIResponses => BuildResponses(request, options, analysis, out toolSearchName),
                _ => BuildChat(request, options, provider),
            };
        }
        catch (Exception ex) when (ex is ResponsesTranslationException or InvalidOperationException or FormatException or JsonException or ArgumentException or KeyNotFoundException)
        {
            await ApiErrors.WriteAsync(context, Dialect, StatusCodes.Status400BadRequest, "Invalid request: " + ex.Message);
            return;
        }
        if (await forwarder.SendAsync(context, Dialect, provider, upstreamRequest) is not { } response)
        {
            return;
        }
        using (response)
        {
            if (options.Type == ProviderTypes.Anthropic)
            {
                await ResponseRelay.RelayAsync(context, response, upstream.IdleTimeout, Dialect);
            }
            else if (stream)
            {
                IStreamTranslator translator = options.Type == ProviderTypes.OpenAIResponses
                    ? new ResponsesToAnthropicStreamTranslator(new ResponsesStreamOptions { ToolSearchToolName = toolSearchName })
                    : new ChatToAnthropicStreamTranslator(new ChatStreamOptions { ModelId = model, ReasoningField = options.ReasoningField });
                await TranslatingRelay.RelayStreamAsync(context, response, translator, upstream.IdleTimeout);
            }
            else
            {
                var name = toolSearchName;
                var reasoningField = options.ReasoningField;
                await TranslatingRelay.RelayJsonAsync(context, response, Dialect, options.Type == ProviderTypes.OpenAIResponses
                    ? (json, writer) => ResponsesToAnthropicResponse.Write(json, writer, name)
                    : (json, writer) => ChatToAnthropicResponse.Write(json, writer, reasoningField));
            }
        }
    }

    /// <summary>SPEC §13.2 <c>anthropic</c>: the body as the client sent it (per-model options applied), its version and beta headers.</summary>
    internal static ProviderRequest BuildNative(JsonObject request, ProviderModel options, IHeaderDictionary headers)
    {
        request["model"] = options.Id;
        ProviderBodies.Apply(request, options, hasTopK: true);
        var extra = new List<KeyValuePair<string, string>>(2)
        {
            new("anthropic-version", headers["anthropic-version"].ToString() is { Length: > 0 } version ? version : DefaultAnthropicVersion),
        };
        if (headers["anthropic-beta"].ToString() is { Length: > 0 } beta)
        {
            extra.Add(new("anthropic-beta", beta));
        }
        return new ProviderRequest { Endpoint = "/messages", Body = ProviderBodies.Serialize(request), ExtraHeaders = extra };
    }

    /// <summary>SPEC §13.2 <c>openai-compatible</c>: the §5 translation, which applies the §13.4 options itself.</summary>
    internal static ProviderRequest BuildChat(JsonObject request, ProviderModel options, Provider provider)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            AnthropicToChatRequest.Write(request, new ChatRequestOptions
            {
                UpstreamModelId = options.Id,
                IsProvider = true,
                ProviderName = provider.Name,
                IsDashScope = provider.IsDashScope,
                ReasoningField = options.ReasoningField,
                SupportPdf = options.SupportPdf,
                ToolContentSupport = options.ToolContentSupport,
                ContextCache = options.ContextCache,
                PreserveThinking = options.PreserveThinking,
                Temperature = options.Temperature,
                TopP = options.TopP,
                TopK = options.TopK,
                ExtraBody = options.ExtraBody,
            }, writer);
        }
        return new ProviderRequest { Endpoint = "/chat/completions", Body = buffer.WrittenMemory };
    }

    /// <summary>SPEC §13.2 <c>openai-responses</c>: the §9 translation, then the §13.4 options.</summary>
    internal ProviderRequest BuildResponses(JsonObject request, ProviderModel options, MessagesAnalysis analysis, out string? toolSearchName)
    {
        var promptCacheKey = analysis.PromptCacheKey;
        var buffer = new ArrayBufferWriter<byte>(4096);
        ResponsesRequestInfo info;
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            info = AnthropicToResponsesRequest.Write(request, new ResponsesRequestOptions
            {
                UpstreamModelId = options.Id,
                PromptCacheKey = promptCacheKey,
                ModelReasoningEfforts = settings.ModelReasoningEfforts,
                // Gateway prompts and context management are tuned for Copilot's models, not a provider's.
                ExtraPrompts = NoExtraPrompts,
                ContextManagement = false,
            }, writer);
        }
        toolSearchName = info.ToolSearchToolName;
        ReadOnlyMemory<byte> body = buffer.WrittenMemory;
        if (ProviderBodies.HasOptions(options))
        {
            var node = (JsonObject)JsonNode.Parse(buffer.WrittenSpan)!;
            ProviderBodies.Apply(node, options, hasTopK: false);
            body = ProviderBodies.Serialize(node);
        }
        return new ProviderRequest { Endpoint = "/responses", Body = body };
    }

    private static readonly IReadOnlyDictionary<string, string> NoExtraPrompts = new Dictionary<string, string>();
}
