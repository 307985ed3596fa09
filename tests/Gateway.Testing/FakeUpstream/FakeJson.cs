using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Testing.FakeUpstream;

/// <summary>JSON writing shared by the handlers: compact, with the relaxed escaping real upstreams use.</summary>
internal static class FakeJson
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Serialises once, for answers built ahead of time.</summary>
    public static byte[] Serialize<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer, state);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteStringArray(this Utf8JsonWriter writer, string propertyName, IEnumerable<string> values)
    {
        writer.WriteStartArray(propertyName);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    public static void WriteIfNotNull(this Utf8JsonWriter writer, string propertyName, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(propertyName, number);
        }
    }

    public static void WriteIfNotNull(this Utf8JsonWriter writer, string propertyName, bool? value)
    {
        if (value is { } flag)
        {
            writer.WriteBoolean(propertyName, flag);
        }
    }
}
