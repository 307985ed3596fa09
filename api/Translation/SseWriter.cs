using System.Buffers;
using System.Text.Json;

namespace Gateway.Api.Translation;

/// <summary>
/// Writes server-sent events as UTF-8 bytes (https://html.spec.whatwg.org/multipage/server-sent-events.html).
/// Anthropic-dialect events carry an <c>event:</c> line; OpenAI-dialect ones only <c>data:</c>.
/// JSON payloads are written with a pooled <see cref="Utf8JsonWriter"/> straight into the output buffer.
/// </summary>
public static class SseWriter
{
    private static ReadOnlySpan<byte> EventPrefix => "event: "u8;
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
    private static ReadOnlySpan<byte> Newline => "\n"u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    /// <summary>Writes <c>event: {type}\ndata: {json}\n\n</c>, the JSON produced by <paramref name="writeJson"/>.</summary>
    public static void WriteEvent<TState>(IBufferWriter<byte> output, ReadOnlySpan<byte> eventType, TState state, Action<Utf8JsonWriter, TState> writeJson)
    {
        if (!eventType.IsEmpty)
        {
            output.Write(EventPrefix);
            output.Write(eventType);
            output.Write(Newline);
        }
        output.Write(DataPrefix);
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }))
        {
            writeJson(writer, state);
        }
        output.Write(EventEnd);
    }

    /// <summary>Writes an event whose data is already serialised JSON (or any single-line text).</summary>
    public static void WriteRawEvent(IBufferWriter<byte> output, ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data)
    {
        if (!eventType.IsEmpty)
        {
            output.Write(EventPrefix);
            output.Write(eventType);
            output.Write(Newline);
        }
        output.Write(DataPrefix);
        output.Write(data);
        output.Write(EventEnd);
    }
}
