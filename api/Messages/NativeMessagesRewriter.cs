using System.Text.Json.Nodes;
using Gateway.Api.Catalog;

namespace Gateway.Api.Messages;

/// <summary>
/// Rewrites an Anthropic Messages request for Copilot's own <c>/v1/messages</c> endpoint (SPEC §8). Copilot's
/// Anthropic front rejects some fields that api.anthropic.com accepts, and it checks thinking signatures against
/// its own accounts, so the request is cleaned before it is passed through.
/// </summary>
public static class NativeMessagesRewriter
{
    private const string InterleavedThinking = "interleaved-thinking-2025-05-14";

    private static readonly string[] _allowedBetas =
    [
        InterleavedThinking,
        "context-management-2025-06-27",
        "advanced-tool-use-2025-11-20",
    ];

    /// <summary>Models whose Copilot endpoint refuses a top-level (automatic) <c>cache_control</c>.</summary>
    private static readonly HashSet<string> _noTopLevelCacheControl = new(StringComparer.Ordinal)
    {
        "claude-sonnet-4.5",
        "claude-sonnet-4.6",
        "claude-opus-4.5",
        "claude-haiku-4.5",
    };

    /// <summary>
    /// Applies, in order: the thinking filter, the <c>cache_control</c> clean-up, adaptive thinking and the effort.
    /// <paramref name="model"/> is the catalogue entry of the resolved model, null when unknown.
    /// </summary>
    public static void Apply(JsonObject request, ModelInfo? model, NativeMessagesOptions options)
    {
        var modelId = model?.Id ?? request["model"].AsString() ?? "";
        ThinkingFilter.RemoveInvalid(request);
        CleanCacheControl(request, modelId);
        ApplyAdaptiveThinking(request, model);
        ApplyEffort(request, modelId, model, options);
    }

    /// <summary>True when the request still carries non-adaptive <c>thinking.budget_tokens</c> (after <see cref="Apply"/>).</summary>
    public static bool RequiresInterleavedThinking(JsonObject request)
        => request["thinking"] is JsonObject thinking
            && thinking["type"].AsString() != "adaptive"
            && thinking["budget_tokens"] is JsonValue;

    /// <summary>
    /// The <c>anthropic-beta</c> value to forward: only allow-listed betas, in the client's order, plus
    /// <c>interleaved-thinking-2025-05-14</c> when <paramref name="addInterleavedThinking"/>; null when nothing is left.
    /// </summary>
    public static string? FilterAnthropicBeta(string? header, bool addInterleavedThinking)
    {
        var kept = new List<string>(_allowedBetas.Length);
        if (header is not null)
        {
            foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (_allowedBetas.Contains(part, StringComparer.Ordinal) && !kept.Contains(part, StringComparer.Ordinal))
                {
                    kept.Add(part);
                }
            }
        }
        if (addInterleavedThinking && !kept.Contains(InterleavedThinking, StringComparer.Ordinal))
        {
            kept.Add(InterleavedThinking);
        }
        return kept.Count == 0 ? null : string.Join(',', kept);
    }

    /// <summary>
    /// <c>cache_control</c> keeps only <c>type</c> and <c>ttl</c> (Copilot rejects <c>scope</c> and other keys); one
    /// without <c>type</c> is removed; inside tool_result content it is always removed.
    /// </summary>
    private static void CleanCacheControl(JsonObject request, string modelId)
    {
        if (_noTopLevelCacheControl.Contains(modelId))
        {
            request.Remove("cache_control");
        }
        if (request["system"] is JsonArray system)
        {
            foreach (var block in system)
            {
                CleanBlock(block as JsonObject);
            }
        }
        if (request["tools"] is JsonArray tools)
        {
            foreach (var tool in tools)
            {
                CleanBlock(tool as JsonObject);
            }
        }
        if (request["messages"] is not JsonArray messages)
        {
            return;
        }
        foreach (var message in messages)
        {
            if (message?["content"] is not JsonArray content)
            {
                continue;
            }
            foreach (var block in content.OfType<JsonObject>())
            {
                CleanBlock(block);
                if (block.BlockType() == "tool_result" && block["content"] is JsonArray nested)
                {
                    foreach (var inner in nested.OfType<JsonObject>())
                    {
                        inner.Remove("cache_control");
                    }
                }
            }
        }
    }

    private static void CleanBlock(JsonObject? block)
    {
        if (block is null || !block.ContainsKey("cache_control"))
        {
            return;
        }
        if (block["cache_control"] is not JsonObject cacheControl || cacheControl["type"] is null)
        {
            block.Remove("cache_control");
            return;
        }
        foreach (var key in cacheControl.Select(p => p.Key).Where(k => k is not ("type" or "ttl")).ToList())
        {
            cacheControl.Remove(key);
        }
    }

    /// <summary>
    /// Models that support adaptive thinking get <c>{"type":"adaptive"}</c> unless the client forces a tool (forced
    /// tool use and thinking do not mix); <c>display: summarized</c> when the client sent no thinking or the model is
    /// 4.7 or later, whose default display hides the summary.
    /// </summary>
    private static void ApplyAdaptiveThinking(JsonObject request, ModelInfo? model)
    {
        if (model is not { SupportsAdaptiveThinking: true })
        {
            return;
        }
        if ((request["tool_choice"] as JsonObject)?["type"].AsString() is "any" or "tool")
        {
            return;
        }
        var clientSentThinking = request["thinking"] is not null;
        var thinking = new JsonObject { ["type"] = "adaptive" };
        if (!clientSentThinking || ClaudeVersion.AtLeast(model.Id, 4, 7))
        {
            thinking["display"] = "summarized";
        }
        request["thinking"] = thinking;
    }

    private static void ApplyEffort(JsonObject request, string modelId, ModelInfo? model, NativeMessagesOptions options)
    {
        if (request["output_config"] is not JsonObject outputConfig)
        {
            outputConfig = [];
            request["output_config"] = outputConfig;
        }
        var requested = outputConfig["effort"].AsString();
        outputConfig["effort"] = ReasoningEffortResolver.ForNativeMessages(requested, modelId, model, options.ModelReasoningEfforts);
    }
}
