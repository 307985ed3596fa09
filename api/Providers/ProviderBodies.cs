using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Translation;

namespace Gateway.Api.Providers;

/// <summary>
/// The per-model options of SPEC §13.4 applied to a body the gateway sends as JSON DOM (native Anthropic, OpenAI
/// Chat and Responses bodies); the Chat translation (§5) applies them itself while writing.
/// </summary>
public static class ProviderBodies
{
    /// <summary>
    /// <c>temperature</c>, <c>top_p</c> (and, where the dialect has it, <c>top_k</c>) when the request has none;
    /// then <c>extraBody</c>: request fields win, except <c>thinking_budget</c>, which always wins.
    /// </summary>
    public static void Apply(JsonObject body, ProviderModel model, bool hasTopK)
    {
        SetIfAbsent(body, "temperature", model.Temperature);
        SetIfAbsent(body, "top_p", model.TopP);
        if (hasTopK && model.TopK is { } topK && !body.ContainsKey("top_k"))
        {
            body["top_k"] = topK;
        }
        if (model.ExtraBody is { } extra)
        {
            foreach (var (name, value) in extra)
            {
                if (name == "thinking_budget" || !body.ContainsKey(name))
                {
                    body[name] = value?.DeepClone();
                }
            }
        }
    }

    /// <summary>True when <see cref="Apply"/> would change a body (so an untouched one need not be re-serialised).</summary>
    public static bool HasOptions(ProviderModel model)
        => model.Temperature is not null || model.TopP is not null || model.TopK is not null || model.ExtraBody is not null;

    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            node.WriteTo(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void SetIfAbsent(JsonObject body, string name, double? value)
    {
        if (value is { } v && !body.ContainsKey(name))
        {
            body[name] = v;
        }
    }
}
