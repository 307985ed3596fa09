using System.Text;
using System.Text.Json;

namespace Gateway.Api.OpenAI;

/// <summary>
/// Small edits to a JSON object body without re-serialising it: replace one string value in place and add
/// top-level properties right after the opening brace. Bodies the gateway need not change are sent as they came.
/// </summary>
public sealed class JsonBodyPatch
{
    private readonly List<(string Name, byte[] JsonValue)> _additions = [];
    private (Range Range, string Value)? _replacement;

    public bool IsEmpty => _additions.Count == 0 && _replacement is null;

    public JsonBodyPatch ReplaceString(Range valueRange, string value)
    {
        _replacement = (valueRange, value);
        return this;
    }

    public JsonBodyPatch Add(string name, long value)
    {
        _additions.Add((name, Encoding.UTF8.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        return this;
    }

    public JsonBodyPatch Add(string name, string value)
    {
        _additions.Add((name, JsonSerializer.SerializeToUtf8Bytes(value)));
        return this;
    }

    /// <summary>Applies the patch to <paramref name="body"/> (a JSON object whose first non-space byte is <c>{</c>).</summary>
    public byte[] Apply(ReadOnlySpan<byte> body)
    {
        var open = body.IndexOf((byte)'{');
        using var output = new MemoryStream(body.Length + 64);
        output.Write(body[..(open + 1)]);
        var rest = body[(open + 1)..];
        var restOffset = open + 1;
        var restIsEmptyObject = rest.Trim(" \t\r\n"u8).SequenceEqual("}"u8);
        for (var i = 0; i < _additions.Count; i++)
        {
            var (name, value) = _additions[i];
            output.Write(JsonSerializer.SerializeToUtf8Bytes(name));
            output.WriteByte((byte)':');
            output.Write(value);
            if (i < _additions.Count - 1 || !restIsEmptyObject)
            {
                output.WriteByte((byte)',');
            }
        }
        if (_replacement is { } replacement)
        {
            var (start, end) = (replacement.Range.Start.Value - restOffset, replacement.Range.End.Value - restOffset);
            output.Write(rest[..start]);
            output.Write(JsonSerializer.SerializeToUtf8Bytes(replacement.Value));
            output.Write(rest[end..]);
        }
        else
        {
            output.Write(rest);
        }
        return output.ToArray();
    }
}
