using System.Buffers;
using System.Text.Json;

namespace Gateway.Api.Translation;

/// <summary>
/// Writes server-sent events as UTF-8 bytes (https://html.spec.whatwg.org/multipage/server-sent-events.html).
/// Anthropic-dialect events carry an <c>event:</c> line; OpenAI-dialect ones only <c>data:</c>.
/// JSON payloads are written with a per-thread <see cref="Utf8JsonWriter"/>, reset onto the output buffer.
/// </summary>
public static class SseWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly ArrayBufferWriter<byte> Detached = new(1);

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static ReadOnlySpan<byte> EventPrefix => "event: "u8;
    private static ReadOnlySpan<byte> DataPrefix => "data: "u8;
    private static ReadOnlySpan<byte> Newline => "\n"u8;
    private static ReadOnlySpan<byte> EventEnd => "\n\n"u8;

    /// <summary>
    /// Writes <c>event: {type}\ndata: </c> and returns this thread's JSON writer, reset onto <paramref name="output"/>,
    /// for the event's JSON; <see cref="EndEvent"/> must follow on the same thread before any other event is begun.
    /// </summary>
    public static Utf8JsonWriter BeginEvent(IBufferWriter<byte> output, ReadOnlySpan<byte> eventType)
    {
        if (!eventType.IsEmpty)
        {
            output.Write(EventPrefix);
            output.Write(eventType);
            output.Write(Newline);
        }
        output.Write(DataPrefix);
        // One writer per thread, reset onto each output: events are written many times per stream.
        var writer = t_writer ??= new Utf8JsonWriter(output, WriterOptions);
        writer.Reset(output);
        return writer;
    }

    /// <summary>Ends the event begun with <see cref="BeginEvent"/>: flushes the JSON and writes the blank line.</summary>
    public static void EndEvent(IBufferWriter<byte> output, Utf8JsonWriter writer)
    {
        writer.Flush();
        writer.Reset(Detached); // do not keep the stream's buffer alive from a thread-static
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
