using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Messages;

namespace Gateway.Api.Tokens;

/// <summary>The request-side steps of <c>POST /v1/messages/count_tokens</c> around the estimate (SPEC §14).</summary>
public static class CountTokensRequest
{
    /// <summary>Step 1 (the parts on the body): drop <c>speed</c>, normalise system messages (§3.2).</summary>
    public static void Prepare(JsonObject request)
    {
        request.Remove("speed");
        SystemMessageNormalizer.Apply(request);
    }

    /// <summary>Step 2: the model id api.anthropic.com knows, <c>.</c> replaced by <c>-</c> (<c>claude-sonnet-4.5</c> → <c>claude-sonnet-4-5</c>).</summary>
    public static string AnthropicModelId(string model) => model.Replace('.', '-');

    /// <summary>Step 6: writes <c>{"input_tokens": N}</c>.</summary>
    public static void WriteResponse(IBufferWriter<byte> output, long inputTokens)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteNumber("input_tokens"u8, inputTokens);
        writer.WriteEndObject();
    }
}
