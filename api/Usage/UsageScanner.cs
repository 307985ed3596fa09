using System.Text.Json;

namespace Gateway.Api.Usage;

/// <summary>
/// Reads the token usage out of a body that is relayed unchanged (same-dialect routes, DESIGN §2 step 4: "only scan
/// the stream for the final usage numbers"). Server-sent events are split into lines as they pass; only a
/// <c>data:</c> line that mentions <c>"usage"</c> is parsed. A JSON body (non-stream) is kept up to a bound and parsed
/// once at the end. Understands OpenAI Chat Completions / embeddings usage and Anthropic Messages usage
/// (<c>message_start</c> and <c>message_delta</c>), and converts to Anthropic semantics (SPEC §6, §15.2).
/// </summary>
public sealed class UsageScanner(bool eventStream)
{
    private const int MaxLineBytes = 1 << 20;
    private const int MaxJsonBytes = 8 << 20;
    private readonly MemoryStream _pending = new();
    private bool _overflow;
    private long _input;
    private long _output;
    private long _cacheRead;
    private long _cacheCreation;
    private long? _total;

    public TokenUsage Usage => new(_input, _output, _cacheRead, _cacheCreation, _total);

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        if (!eventStream)
        {
            if (_pending.Length + chunk.Length <= MaxJsonBytes)
            {
                _pending.Write(chunk);
            }
            else
            {
                _overflow = true;
            }
            return;
        }
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Append(chunk);
                return;
            }
            Append(chunk[..newline]);
            EndLine();
            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>The body ended: parse what is left (the JSON body, or a last line without a newline).</summary>
    public void Complete()
    {
        if (eventStream)
        {
            EndLine();
            return;
        }
        if (!_overflow && _pending.Length > 0)
        {
            TryRead(_pending.GetBuffer().AsSpan(0, (int)_pending.Length), isEvent: false);
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_overflow || _pending.Length + bytes.Length > MaxLineBytes)
        {
            _overflow = true;
            return;
        }
        _pending.Write(bytes);
    }

    private void EndLine()
    {
        var line = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
        if (!_overflow && line.StartsWith("data:"u8) && line.IndexOf("\"usage\""u8) >= 0)
        {
            TryRead(line[5..].TrimStart((byte)' '), isEvent: true);
        }
        _pending.SetLength(0);
        _overflow = false;
    }

    private void TryRead(ReadOnlySpan<byte> json, bool isEvent)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }
            if (root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
            {
                // Anthropic: message_start carries the input side, message_delta the output (and sometimes input).
                if (type.ValueEquals("message_start") && root.TryGetProperty("message", out var message) && message.TryGetProperty("usage", out var startUsage))
                {
                    ReadAnthropic(startUsage);
                    return;
                }
                if (type.ValueEquals("message_delta") && root.TryGetProperty("usage", out var deltaUsage))
                {
                    ReadAnthropic(deltaUsage);
                    return;
                }
                if (type.ValueEquals("message") && root.TryGetProperty("usage", out var messageUsage))
                {
                    ReadAnthropic(messageUsage);
                    return;
                }
            }
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                ReadOpenAI(usage);
            }
        }
        catch (JsonException)
        {
            // Not JSON (or cut): usage stays as it was.
        }
    }

    private void ReadAnthropic(JsonElement usage)
    {
        if (Number(usage, "input_tokens") is { } input)
        {
            _input = input;
        }
        if (Number(usage, "output_tokens") is { } output)
        {
            _output = output;
        }
        if (Number(usage, "cache_read_input_tokens") is { } read)
        {
            _cacheRead = read;
        }
        if (Number(usage, "cache_creation_input_tokens") is { } creation)
        {
            _cacheCreation = creation;
        }
    }

    private void ReadOpenAI(JsonElement usage)
    {
        var prompt = Number(usage, "prompt_tokens") ?? 0;
        var cached = usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object
            ? Number(details, "cached_tokens") ?? 0
            : 0;
        _input = Math.Max(0, prompt - cached);
        _cacheRead = cached;
        _output = Number(usage, "completion_tokens") ?? 0;
        _total = Number(usage, "total_tokens");
    }

    private static long? Number(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
