using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Benchmarks.Load;

/// <summary>
/// One keep-alive HTTP/1.1 connection (RFC 9112) over a plain socket, for load generation: a request is one
/// pre-encoded byte array sent as is, the response is parsed in place (status line, the framing headers, a
/// <c>Content-Length</c> or chunked body) without copying the body. Cheaper per request than <c>HttpClient</c>,
/// which matters when the load generator shares two cores with what it measures, and it sees the first body byte,
/// which is the time to first byte of a stream.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private const int TailSize = 64;
    private const int CapturedBodyBytes = 4096;

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly byte[] _tail = new byte[TailSize];
    private int _start;
    private int _end;
    private int _tailLength;
    private byte _lastBodyByte;

    private RawHttpConnection(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<RawHttpConnection> ConnectAsync(IPEndPoint endPoint, CancellationToken ct)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, ct);
            return new RawHttpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Encodes a request with a JSON body; <c>Host</c> and <c>Content-Length</c> are added here.</summary>
    public static byte[] EncodeRequest(string method, IPEndPoint endPoint, string path, IEnumerable<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> body)
    {
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(endPoint).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (!body.IsEmpty || method == "POST")
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        head.Append("\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        var request = new byte[headBytes.Length + body.Length];
        headBytes.CopyTo(request, 0);
        body.CopyTo(request.AsSpan(headBytes.Length));
        return request;
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads the whole response. Throws <see cref="IOException"/> (or a socket
    /// error) when the connection fails or the response is malformed; the connection is unusable afterwards.
    /// </summary>
    public async ValueTask<ExchangeResult> ExchangeAsync(ReadOnlyMemory<byte> request, bool captureBody, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await _socket.SendAsync(request, SocketFlags.None, ct);

        // 1. Status line and headers, up to the blank line.
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await ReceiveAsync(ct);
        }

        var head = ParseHead(_buffer.AsSpan(_start, headerEnd + 2));
        _start += headerEnd + 4;
        _tailLength = 0;
        _lastBodyByte = 0;
        var body = new BodyProgress { Captured = captureBody || head.Status != 200 ? new MemoryStream() : null };

        // 2. The body, framed by Content-Length or chunked transfer coding (RFC 9112 §6, §7.1).
        if (head.Chunked)
        {
            await ReadChunkedAsync(body, ct);
        }
        else if (head.ContentLength is { } length)
        {
            var remaining = length;
            while (remaining > 0)
            {
                if (_start == _end)
                {
                    await ReceiveAsync(ct);
                }

                var take = (int)Math.Min(remaining, _end - _start);
                OnBody(body, take);
                remaining -= take;
            }
        }
        else if (head.Status is not (204 or 304) && head.Status >= 200)
        {
            throw new IOException($"Response {head.Status} has neither Content-Length nor chunked framing.");
        }

        var finished = Stopwatch.GetTimestamp();
        return new ExchangeResult(
            head.Status,
            started,
            body.FirstByteAt == 0 ? finished : body.FirstByteAt,
            finished,
            body.Events,
            head.KeepAlive,
            body.Captured is { } captured ? Encoding.UTF8.GetString(captured.GetBuffer(), 0, (int)captured.Length) : null);
    }

    /// <summary>True when the last bytes of the latest body contain <paramref name="marker"/> (e.g. a stream's end event).</summary>
    public bool TailContains(ReadOnlySpan<byte> marker) => _tail.AsSpan(0, _tailLength).IndexOf(marker) >= 0;

    public void Dispose() => _socket.Dispose();

    private async ValueTask ReadChunkedAsync(BodyProgress body, CancellationToken ct)
    {
        while (true)
        {
            // chunk-size [ chunk-ext ] CRLF
            int lineEnd;
            while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
            {
                await ReceiveAsync(ct);
            }

            var sizeText = _buffer.AsSpan(_start, lineEnd);
            var extension = sizeText.IndexOf((byte)';');
            if (extension >= 0)
            {
                sizeText = sizeText[..extension];
            }

            if (!Utf8Parser.TryParse(sizeText.Trim((byte)' '), out long size, out var consumed, 'x') || consumed != sizeText.Trim((byte)' ').Length)
            {
                throw new IOException("Malformed chunk size line.");
            }

            _start += lineEnd + 2;
            if (size == 0)
            {
                // Trailer section: header lines up to an empty line.
                while (true)
                {
                    while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
                    {
                        await ReceiveAsync(ct);
                    }

                    _start += lineEnd + 2;
                    if (lineEnd == 0)
                    {
                        return;
                    }
                }
            }

            while (size > 0)
            {
                if (_start == _end)
                {
                    await ReceiveAsync(ct);
                }

                var take = (int)Math.Min(size, _end - _start);
                OnBody(body, take);
                size -= take;
            }

            while (_end - _start < 2)
            {
                await ReceiveAsync(ct);
            }

            if (_buffer[_start] != '\r' || _buffer[_start + 1] != '\n')
            {
                throw new IOException("Chunk data not followed by CRLF.");
            }

            _start += 2;
        }
    }

    /// <summary>Consumes <paramref name="count"/> body bytes at <see cref="_start"/>: first-byte time, SSE event count, tail.</summary>
    private void OnBody(BodyProgress body, int count)
    {
        if (count == 0)
        {
            return;
        }

        var data = _buffer.AsSpan(_start, count);
        if (body.FirstByteAt == 0)
        {
            body.FirstByteAt = Stopwatch.GetTimestamp();
        }

        // An SSE event ends with a blank line (the "\n\n" may straddle two reads).
        if (_lastBodyByte == '\n' && data[0] == '\n')
        {
            body.Events++;
        }

        body.Events += data.Count("\n\n"u8);
        _lastBodyByte = data[^1];
        if (body.Captured is { Length: < CapturedBodyBytes } captured)
        {
            captured.Write(data[..Math.Min(data.Length, CapturedBodyBytes - (int)captured.Length)]);
        }

        KeepTail(data);
        _start += count;
    }

    private void KeepTail(ReadOnlySpan<byte> data)
    {
        if (data.Length >= TailSize)
        {
            data[^TailSize..].CopyTo(_tail);
            _tailLength = TailSize;
            return;
        }

        var keep = Math.Min(_tailLength, TailSize - data.Length);
        _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
        data.CopyTo(_tail.AsSpan(keep));
        _tailLength = keep + data.Length;
    }

    /// <summary>Reads more bytes after <see cref="_end"/>, moving unread bytes to the front when the buffer is full.</summary>
    private async ValueTask ReceiveAsync(CancellationToken ct)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start == 0)
            {
                throw new IOException($"A response line or header block exceeds {BufferSize} bytes.");
            }

            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
        if (read == 0)
        {
            throw new IOException("The server closed the connection mid-response.");
        }

        _end += read;
    }

    private static ResponseHead ParseHead(ReadOnlySpan<byte> head)
    {
        // HTTP/1.1 200 OK
        if (head.Length < 12 || !head.StartsWith("HTTP/1."u8) || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
        {
            throw new IOException("Malformed status line.");
        }

        var result = new ResponseHead { Status = status, KeepAlive = head[7] == '1' };
        var lineEnd = head.IndexOf("\r\n"u8);
        var rest = head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            rest = lineEnd < 0 ? default : rest[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out long length, out _))
                {
                    throw new IOException("Malformed Content-Length.");
                }

                result.ContentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                result.Chunked = value.IndexOf("chunked"u8) >= 0;
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                result.KeepAlive = !Ascii.EqualsIgnoreCase(value, "close"u8);
            }
        }

        return result;
    }

    private struct ResponseHead
    {
        public int Status;
        public long? ContentLength;
        public bool Chunked;
        public bool KeepAlive;
    }

    private sealed class BodyProgress
    {
        public long FirstByteAt;
        public int Events;
        public MemoryStream? Captured;
    }
}

/// <summary>One request and response: status and <see cref="Stopwatch"/> timestamps of send, first body byte and end.</summary>
public readonly record struct ExchangeResult(
    int Status,
    long StartedAt,
    long FirstByteAt,
    long FinishedAt,
    int Events,
    bool KeepAlive,
    string? CapturedBody);
