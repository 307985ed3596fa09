using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Catalog;

namespace Gateway.Api.Translation.Responses;

/// <summary>What the caller needs to know about a translated request to translate its response back.</summary>
/// <param name="ToolSearchToolName">The client's bridge tool name when the §12 bridge is active, else null.</param>
/// <param name="HasTools">The upstream request carries tools.</param>
public sealed record ResponsesRequestInfo(string? ToolSearchToolName, bool HasTools);

/// <summary>
/// Anthropic Messages request → OpenAI Responses request (SPEC §9, with §8 effort, §11.2 context management and the
/// §12 tool_search bridge). Reads the pre-processed request DOM and writes the upstream body straight to a
/// <see cref="Utf8JsonWriter"/>.
/// </summary>
public static class AnthropicToResponsesRequest
{
    /// <summary>Lower bound of <c>max_output_tokens</c> (§9): reasoning models need room beyond the visible answer.</summary>
    public const long MinMaxOutputTokens = 12800;

    /// <summary>
    /// Writes the whole upstream body. Throws <see cref="ResponsesTranslationException"/> for a request that cannot be
    /// translated (answer 400 <c>invalid_request_error</c>).
    /// </summary>
    public static ResponsesRequestInfo Write(JsonObject anthropicRequest, ResponsesRequestOptions options, Utf8JsonWriter writer)
    {
        var model = options.UpstreamModelId;
        var tools = anthropicRequest["tools"] as JsonArray;
        var bridge = ToolSearchBridge.TryCreate(tools, model);

        writer.WriteStartObject();
        writer.WriteString("model", model);

        new ResponsesInputWriter(writer, bridge).Write(anthropicRequest["messages"] as JsonArray);

        WriteInstructions(writer, anthropicRequest["system"], ExtraPrompt(model, options.ExtraPrompts));

        // §9: reasoning models only accept the default temperature.
        writer.WriteNumber("temperature", 1);
        if (JsonNodes.IsNumber(anthropicRequest["top_p"]))
        {
            writer.WritePropertyName("top_p");
            anthropicRequest["top_p"]!.WriteTo(writer);
        }
        var maxTokens = JsonNodes.TryGetInt64(anthropicRequest["max_tokens"], out var requested) ? requested : 0;
        writer.WriteNumber("max_output_tokens", Math.Max(maxTokens, MinMaxOutputTokens));

        var hasTools = ResponsesToolWriter.WriteTools(writer, tools, bridge);
        WriteToolChoice(writer, anthropicRequest["tool_choice"] as JsonObject, bridge);

        if (anthropicRequest["metadata"] is JsonObject metadata)
        {
            writer.WritePropertyName("metadata");
            metadata.WriteTo(writer);
        }
        if (JsonNodes.TryGetBoolean(anthropicRequest["stream"], out var stream))
        {
            writer.WriteBoolean("stream", stream);
        }
        writer.WriteBoolean("store", false);
        writer.WriteBoolean("parallel_tool_calls", true);

        writer.WriteStartObject("reasoning");
        var requestedEffort = JsonNodes.GetString((anthropicRequest["output_config"] as JsonObject)?["effort"]);
        writer.WriteString("effort", Messages.ReasoningEffortResolver.ForResponses(requestedEffort, model, options.Model, options.ModelReasoningEfforts));
        writer.WriteString("summary", "detailed");
        writer.WriteEndObject();

        // Without stored responses, reasoning only survives the turn as encrypted content (§9, §10).
        writer.WriteStartArray("include");
        writer.WriteStringValue("reasoning.encrypted_content");
        writer.WriteEndArray();
        writer.WriteNull("service_tier");

        if (hasTools && !string.IsNullOrEmpty(options.PromptCacheKey))
        {
            writer.WriteString("prompt_cache_key", options.PromptCacheKey);
        }
        if (options.ContextManagement && ResponsesContextManagement.AppliesTo(model))
        {
            writer.WriteStartArray("context_management");
            writer.WriteStartObject();
            writer.WriteString("type", "compaction");
            writer.WriteNumber("compact_threshold", ResponsesContextManagement.CompactThreshold(model, options.Model, options.CompactThresholds));
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
        return new ResponsesRequestInfo(bridge?.BridgeName, hasTools);
    }

    /// <summary><c>extraPrompts[model]</c>; GPT-5.3+ models without an entry get the built-in commentary prompt (§9).</summary>
    public static string? ExtraPrompt(string modelId, IReadOnlyDictionary<string, string> extraPrompts)
    {
        if (extraPrompts.TryGetValue(modelId, out var prompt))
        {
            return string.IsNullOrEmpty(prompt) ? null : prompt;
        }
        return GptVersion.AtLeast(modelId, 5, 3) ? ResponsesDefaults.CommentaryPrompt : null;
    }

    /// <summary>
    /// <c>instructions</c> = system text (text blocks joined with a blank line), then a blank line and the extra
    /// prompt; omitted when both are empty. Written in segments, so the system prompt is not copied into a new string.
    /// </summary>
    private static void WriteInstructions(Utf8JsonWriter writer, JsonNode? system, string? extraPrompt)
    {
        var hasSystem = system switch
        {
            JsonArray blocks => blocks.Any(IsNonEmptyTextBlock),
            _ => JsonNodes.IsNonEmptyString(system),
        };
        if (!hasSystem && extraPrompt is null)
        {
            return;
        }
        writer.WritePropertyName("instructions");
        var written = false;
        if (system is JsonArray systemBlocks)
        {
            foreach (var block in systemBlocks)
            {
                if (IsNonEmptyTextBlock(block))
                {
                    if (written)
                    {
                        writer.WriteStringValueSegment("\n\n"u8, isFinalSegment: false);
                    }
                    JsonNodes.WriteSegment(writer, block!["text"]);
                    written = true;
                }
            }
        }
        else if (hasSystem)
        {
            JsonNodes.WriteSegment(writer, system);
            written = true;
        }
        if (extraPrompt is not null)
        {
            if (written)
            {
                writer.WriteStringValueSegment("\n\n"u8, isFinalSegment: false);
            }
            JsonNodes.WriteSegment(writer, extraPrompt);
        }
        JsonNodes.EndSegments(writer);
    }

    private static bool IsNonEmptyTextBlock(JsonNode? node)
        => node is JsonObject block && JsonNodes.IsString(block["type"], "text") && JsonNodes.IsNonEmptyString(block["text"]);

    /// <summary>
    /// <c>auto</c>/<c>any</c>/<c>tool</c>/<c>none</c> → <c>"auto"</c>/<c>"required"</c>/<c>{"type":"function","name"}</c>/
    /// <c>"none"</c>, default <c>auto</c> (§9). A choice naming the §12 bridge becomes <c>auto</c>: tool_search is not a
    /// function the upstream can be forced to call.
    /// </summary>
    private static void WriteToolChoice(Utf8JsonWriter writer, JsonObject? choice, ToolSearchBridge? bridge)
    {
        var type = choice?["type"];
        if (JsonNodes.IsString(type, "any"))
        {
            writer.WriteString("tool_choice", "required");
        }
        else if (JsonNodes.IsString(type, "none"))
        {
            writer.WriteString("tool_choice", "none");
        }
        else if (JsonNodes.IsString(type, "tool") && JsonNodes.GetString(choice!["name"]) is { Length: > 0 } name
            && !(bridge is not null && ToolSearchBridge.BridgeToolNames.Contains(name)))
        {
            writer.WriteStartObject("tool_choice");
            writer.WriteString("type", "function");
            writer.WriteString("name", name);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteString("tool_choice", "auto");
        }
    }
}
