using System.Buffers;
using System.Text.Json;

namespace Gateway.Api.Translation.Responses;

/// <summary>
/// A <see cref="JsonDocument"/> over a pooled copy of a span: the stream translator parses an event's nested object
/// (already validated by the reader) without allocating a fresh buffer per event.
/// </summary>
internal readonly struct PooledJsonDocument : IDisposable
{
    private readonly byte[] _buffer;
    private readonly JsonDocument _document;

    private PooledJsonDocument(byte[] buffer, JsonDocument document)
    {
        _buffer = buffer;
        _document = document;
    }

    public JsonElement Root => _document.RootElement;

    public static PooledJsonDocument Parse(ReadOnlySpan<byte> json)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(json.Length, 1));
        try
        {
            json.CopyTo(buffer);
            return new PooledJsonDocument(buffer, JsonDocument.Parse(buffer.AsMemory(0, json.Length)));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        _document?.Dispose();
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
