using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Api.Auth;
using Gateway.Api.Catalog;
using Gateway.Api.Errors;
using Gateway.Api.Forwarding;
using Gateway.Api.Hosting;
using Gateway.Api.Messages;
using Gateway.Api.Translation;
using Gateway.Api.Translation.Chat;
using Gateway.Api.Translation.Responses;
using Gateway.Api.Usage;

namespace Gateway.Api.Endpoints;

/// <summary>
/// <c>POST /v1/messages</c> on Copilot (SPEC §3–§10): pre-processing, then one of three upstream paths chosen from
/// the serving account's catalogue — native <c>/v1/messages</c> (bytes relayed as they come), <c>/responses</c> or
/// <c>/chat/completions</c> (translated both ways, streams event by event).
/// </summary>
public static partial class MessagesEndpoints
{
    private const ErrorDialect Dialect = ErrorDialect.Anthropic;

    public static IEndpointRouteBuilder MapMessagesEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/messages").RequireGatewayKey();
        group.MapPost("", MessagesAsync);
        group.MapPost("/count_tokens", CountTokensEndpoint.CountTokensAsync);
        return routes;
    }

    private enum UpstreamPath
    {
        Native,
        Responses,
        Chat,
    }

    private static async Task MessagesAsync(HttpContext context, CopilotForwarder forwarder, UpstreamInvoker upstream, EffectiveSettings settings,
        Limits.AdmissionControl admission, Providers.ProviderRouting providers, Providers.ProviderMessagesHandler providerMessages)
    {
        var usage = context.TrackUsage("messages", "chat");
        if (await ReadRequestAsync(context) is not { } request)
        {
            return;
        }
        usage.Model = (string)request["model"]!;
        var options = settings.Options;
        SecurityMonitorDetector.ApplyClaudeAutoModel(request, options.ClaudeAutoModel);
        var requestedModel = ModelMappings.Apply((string)request["model"]!, settings.ModelMappings);
        if (ProviderAlias.TryParse(requestedModel, out var providerName, out var providerModel))
        {
            // SPEC §3.1 step 3: a provider/model alias goes to the provider (§13).
            if (await providers.ResolveAsync(context, Dialect, providerName) is { } provider)
            {
                await providerMessages.HandleAsync(context, request, provider, providerModel);
            }
            return;
        }
        var headers = context.Request.Headers;
        MessagesAnalysis analysis;
        try
        {
            analysis = MessagesPreprocessor.Process(request, new MessagesPreprocessOptions(), name => headers.TryGetValue(name, out var v) ? v.ToString() : null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException or ArgumentException)
        {
            await ApiErrors.WriteAsync(context, Dialect, StatusCodes.Status400BadRequest, "Invalid request: " + ex.Message);
            return;
        }
        var stream = request["stream"] is JsonValue s && s.TryGetValue<bool>(out var isStream) && isStream;
        var maxTokens = request["max_tokens"] is JsonValue mt && mt.TryGetValue<long>(out var m) ? m : 4096;
        if (!await admission.AdmitAsync(context, Dialect, requestedModel, context.Request.ContentLength.GetValueOrDefault() / 4, maxTokens, stream))
        {
            return;
        }
        usage.Initiator = analysis.Initiator;
        usage.SessionId = analysis.RootSessionId ?? "";
        usage.UserId = analysis.UserId ?? "";

        UpstreamPath path = UpstreamPath.Chat;
        ResolvedModel model = default;
        string? toolSearchName = null;
        string? translationError = null;
        var result = await forwarder.SendAsync(context, Dialect, analysis.RootSessionId, selection =>
        {
            var catalog = selection.Catalog!;
            var target = requestedModel;
            // SPEC §3.4 / §3.1 step 5: warmups (and, if configured, compaction) go to the small model when it is served.
            if ((analysis.IsWarmup || (analysis.IsCompact && options.CompactUseSmallModel)) && catalog.Find(settings.CopilotSmallModel) is not null)
            {
                target = settings.CopilotSmallModel;
            }
            model = ModelLookup.Resolve(target, catalog);
            usage.Model = model.Id;
            path = ChoosePath(model.Info, options.UseMessagesApi);
            var lease = selection.Lease!;
            try
            {
                var (upstreamPath, body, extra) = path switch
                {
                    UpstreamPath.Native => BuildNative(request, model, settings, headers, analysis),
                    UpstreamPath.Responses => BuildResponses(request, model, settings, analysis, out toolSearchName),
                    _ => BuildChat(request, model),
                };
                var proxy = path == UpstreamPath.Native && MessagesProxy.Applies(analysis);
                return new CopilotRequest
                {
                    Path = upstreamPath,
                    Body = body,
                    Dialect = Dialect,
                    Initiator = analysis.Initiator,
                    InteractionType = proxy ? InteractionType.MessagesProxy : analysis.InteractionType,
                    InteractionId = analysis.RootSessionId,
                    RequestId = proxy ? RequestId.Random() : RequestId.ForMessages(analysis.RootSessionText, lease.MachineId, request),
                    Vision = analysis.HasImage,
                    ExtraHeaders = proxy ? [.. extra, .. MessagesProxyHeaders(headers, options.Copilot)] : extra,
                    OmitIntegrationId = proxy,
                };
            }
            catch (Exception ex) when (ex is ResponsesTranslationException or InvalidOperationException or FormatException or JsonException or ArgumentException or KeyNotFoundException)
            {
                translationError = ex.Message;
                return null;
            }
        });
        if (translationError is not null)
        {
            await ApiErrors.WriteAsync(context, Dialect, StatusCodes.Status400BadRequest, "Invalid request: " + translationError);
            return;
        }
        if (result.Response is not { } response)
        {
            return;
        }
        using (response)
        {
            if (path == UpstreamPath.Native)
            {
                await ResponseRelay.RelayAsync(context, response, upstream.IdleTimeout, Dialect);
            }
            else if (stream)
            {
                IStreamTranslator translator = path == UpstreamPath.Responses
                    ? new ResponsesToAnthropicStreamTranslator(new ResponsesStreamOptions { ToolSearchToolName = toolSearchName })
                    : new ChatToAnthropicStreamTranslator(new ChatStreamOptions { ModelId = model.Id });
                await TranslatingRelay.RelayStreamAsync(context, response, translator, upstream.IdleTimeout);
            }
            else
            {
                var name = toolSearchName;
                await TranslatingRelay.RelayJsonAsync(context, response, Dialect, path == UpstreamPath.Responses
                    ? (json, writer) => ResponsesToAnthropicResponse.Write(json, writer, name)
                    : (json, writer) => ChatToAnthropicResponse.Write(json, writer));
            }
        }
    }

    /// <summary>SPEC §3.1 step 7.</summary>
    private static UpstreamPath ChoosePath(ModelInfo? model, bool useMessagesApi)
    {
        if (model is null)
        {
            return UpstreamPath.Chat;
        }
        if (useMessagesApi && model.Supports("/v1/messages"))
        {
            return UpstreamPath.Native;
        }
        return model.Supports("/responses") || model.Supports("ws:/responses") ? UpstreamPath.Responses : UpstreamPath.Chat;
    }

    private static (string Path, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Extra) BuildNative(
        JsonObject request, ResolvedModel model, EffectiveSettings settings, IHeaderDictionary headers, MessagesAnalysis analysis)
    {
        var copy = (JsonObject)request.DeepClone();
        copy["model"] = model.Id;
        NativeMessagesRewriter.Apply(copy, model.Info, new NativeMessagesOptions { ModelReasoningEfforts = settings.ModelReasoningEfforts });
        var extra = new List<KeyValuePair<string, string>>(2);
        var beta = NativeMessagesRewriter.FilterAnthropicBeta(headers["anthropic-beta"].ToString(), NativeMessagesRewriter.RequiresInterleavedThinking(copy));
        if (!string.IsNullOrEmpty(beta))
        {
            extra.Add(new("anthropic-beta", beta));
        }
        if (headers["anthropic-version"].ToString() is { Length: > 0 } version)
        {
            extra.Add(new("anthropic-version", version));
        }
        return ("/v1/messages", Serialize(copy), extra);
    }

    private static (string Path, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Extra) BuildResponses(
        JsonObject request, ResolvedModel model, EffectiveSettings settings, MessagesAnalysis analysis, out string? toolSearchName)
    {
        var promptCacheKey = analysis.PromptCacheKey;
        var buffer = new ArrayBufferWriter<byte>(4096);
        ResponsesRequestInfo info;
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            info = AnthropicToResponsesRequest.Write(request, new ResponsesRequestOptions
            {
                UpstreamModelId = model.Id,
                Model = model.Info,
                PromptCacheKey = promptCacheKey,
                ModelReasoningEfforts = settings.ModelReasoningEfforts,
                ExtraPrompts = settings.ExtraPrompts,
                ContextManagement = settings.Options.ContextManagement.Messages,
                CompactThresholds = settings.CompactThresholds,
            }, writer);
        }
        toolSearchName = info.ToolSearchToolName;
        return ("/responses", buffer.WrittenSpan.ToArray(), []);
    }

    private static (string Path, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Extra) BuildChat(JsonObject request, ResolvedModel model)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            AnthropicToChatRequest.Write(request, new ChatRequestOptions { UpstreamModelId = model.Id, Model = model.Info }, writer);
        }
        return ("/chat/completions", buffer.WrittenSpan.ToArray(), []);
    }

    /// <summary>The messages-proxy variant of SPEC §2.4 / §8.</summary>
    private static IEnumerable<KeyValuePair<string, string>> MessagesProxyHeaders(IHeaderDictionary headers, Grains.Options.CopilotOptions copilot)
    {
        var clientVersion = ClaudeCliVersion().Match(headers.UserAgent.ToString());
        var cc = clientVersion.Success ? clientVersion.Groups[1].Value : copilot.ClaudeCodeVersion;
        yield return new("openai-intent", InteractionType.MessagesProxy);
        yield return new("user-agent", $"vscode_claude_code/{cc} (external, sdk-ts, agent-sdk/{copilot.ClaudeAgentSdkVersion})");
    }

    private static byte[] Serialize(JsonObject node)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            node.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads and checks the Messages body (SPEC §17): a JSON object with a string <c>model</c> and an array <c>messages</c>.</summary>
    internal static async Task<JsonObject?> ReadRequestAsync(HttpContext context, bool requireMessages = true)
    {
        if (await RequestBody.ReadAsync(context, Dialect) is not { } body)
        {
            return null;
        }
        if (context.Usage() is { } usage)
        {
            // Prices of cache reads differ for explicit breakpoints (SPEC §15.2); a byte search costs next to nothing.
            usage.ExplicitCache = body.AsSpan().IndexOf("\"cache_control\""u8) >= 0;
        }
        JsonObject? request;
        try
        {
            request = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException ex)
        {
            await RequestBody.WriteInvalidJsonAsync(context, Dialect, ex);
            return null;
        }
        string? problem = request switch
        {
            null => "Request body must be a JSON object.",
            _ when request["model"] is not JsonValue m || m.GetValueKind() != JsonValueKind.String || string.IsNullOrEmpty((string?)m) => "model: field required (a non-empty string).",
            _ when requireMessages && request["messages"] is not JsonArray => "messages: field required (an array).",
            _ => requireMessages ? CheckMessages((JsonArray)request!["messages"]!) : null,
        };
        if (problem is not null)
        {
            await ApiErrors.WriteAsync(context, Dialect, StatusCodes.Status400BadRequest, problem);
            return null;
        }
        return request;
    }

    /// <summary>Shape checks that keep malformed messages from reaching the translators as exceptions.</summary>
    private static string? CheckMessages(JsonArray messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message)
            {
                return $"messages.{i}: must be an object.";
            }
            if (message["role"] is not JsonValue role || (string?)role is not ("user" or "assistant" or "system"))
            {
                return $"messages.{i}.role: must be 'user' or 'assistant'.";
            }
            switch (message["content"])
            {
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    break;
                case JsonArray blocks:
                    for (var j = 0; j < blocks.Count; j++)
                    {
                        if (blocks[j] is not JsonObject block || block["type"] is not JsonValue t || t.GetValueKind() != JsonValueKind.String)
                        {
                            return $"messages.{i}.content.{j}: each content block must be an object with a string 'type'.";
                        }
                    }
                    break;
                default:
                    return $"messages.{i}.content: must be a string or an array of content blocks.";
            }
        }
        return null;
    }

    [GeneratedRegex(@"claude-cli/([0-9][0-9A-Za-z.\-]*)")]
    private static partial Regex ClaudeCliVersion();
}
