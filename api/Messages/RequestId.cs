using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Api.Messages;

/// <summary>
/// The Copilot <c>x-request-id</c> / <c>x-agent-task-id</c> (SPEC §4.3). With a root session it is deterministic over
/// the session, the account's machine id and the last user turn, so a retried turn keeps its id; otherwise random.
/// </summary>
public static class RequestId
{
    private static readonly JsonWriterOptions _writerOptions = new()
    {
        // Compact, and close to JavaScript's JSON.stringify, which does not escape non-ASCII text.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>
    /// UUID (derivation of §4.2) of <c>&lt;root&gt;&lt;machineId&gt;&lt;json&gt;</c>, <c>json</c> being the compact JSON
    /// of <paramref name="lastUserContent"/> without <c>tool_result</c> blocks and <c>cache_control</c> keys; a random
    /// v4 UUID when <paramref name="rootSessionText"/> is null.
    /// </summary>
    public static string Compute(string? rootSessionText, string machineId, JsonNode? lastUserContent)
    {
        if (rootSessionText is null)
        {
            return Random();
        }
        var buffer = new ArrayBufferWriter<byte>(256);
        Encoding.UTF8.GetBytes(rootSessionText.AsSpan(), buffer);
        Encoding.UTF8.GetBytes(machineId.AsSpan(), buffer);
        using (var writer = new Utf8JsonWriter(buffer, _writerOptions))
        {
            WriteContent(writer, lastUserContent);
        }
        return RootSession.DeriveUuid(buffer.WrittenSpan);
    }

    /// <summary><see cref="Compute(string?, string, JsonNode?)"/> over the last <c>role: "user"</c> message of a Messages request.</summary>
    public static string ForMessages(string? rootSessionText, string machineId, JsonObject request)
        => Compute(rootSessionText, machineId, LastUserMessageContent(request));

    public static JsonNode? LastUserMessageContent(JsonObject request)
        => (request["messages"] as JsonArray)?.LastOrDefault(m => m.Role() == "user")?["content"];

    /// <summary>A random UUID v4, lower-case <c>8-4-4-4-12</c> (also the messages-proxy request id, §8).</summary>
    public static string Random() => Guid.NewGuid().ToString("D");

    private static void WriteContent(Utf8JsonWriter writer, JsonNode? content)
    {
        if (content is not JsonArray blocks)
        {
            WriteWithoutCacheControl(writer, content);
            return;
        }
        writer.WriteStartArray();
        foreach (var block in blocks)
        {
            if (block.BlockType() != "tool_result")
            {
                WriteWithoutCacheControl(writer, block);
            }
        }
        writer.WriteEndArray();
    }

    private static void WriteWithoutCacheControl(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (name, value) in obj)
                {
                    if (name == "cache_control")
                    {
                        continue;
                    }
                    writer.WritePropertyName(name);
                    WriteWithoutCacheControl(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteWithoutCacheControl(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
