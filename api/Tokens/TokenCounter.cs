using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SharpToken;

namespace Gateway.Api.Tokens;

/// <summary>
/// Local estimate for <c>POST /v1/messages/count_tokens</c> (SPEC §14 steps 3–6) over the Chat Completions translation
/// of the request (§5). The per-message and per-tool constants follow OpenAI's published way of counting chat and
/// function tokens; the tool overhead and the Claude multiplier bring the numbers near what Claude Code expects.
/// </summary>
public static class TokenCounter
{
    // §14 step 3: OpenAI's chat framing constants.
    private const int TokensPerMessage = 3;
    private const int TokensPerName = 1;
    private const int ReplyPriming = 3;
    private const int ImageTokens = 85;
    private const int FunctionInit = 7;
    private const int FunctionEnd = 12;
    private const int PropertiesInit = 3;
    private const int PropertyKey = 3;
    private const int EnumInit = -3;
    private const int EnumItem = 3;

    // §14 step 4: Claude Code's hidden tool-use system prompt, as counted by the upstreams.
    private const int ClaudeToolOverhead = 346;
    private const int GrokToolOverhead = 120;

    private static readonly HashSet<string> _noSpecialTokens = [];

    private static readonly JsonWriterOptions _compactJson = new()
    {
        // Matches JavaScript's JSON.stringify closely: compact, non-ASCII text unescaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Input and output token counts of a Chat Completions body, before §14 steps 4–5.</summary>
    public readonly record struct ChatTokenCounts(long Input, long Output);

    /// <summary>
    /// The <c>input_tokens</c> value of the count_tokens response: steps 3–5, and 1 when anything fails (step 6).
    /// </summary>
    public static long CountInputTokens(JsonElement chatBody, TokenCountContext context, TokenCountOptions options)
    {
        // Step 6: an estimate must never fail the request; any error answers 1.
        try
        {
            var counts = Count(chatBody, TokenizerCache.Get(context.Tokenizer));
            var input = counts.Input + ToolOverhead(chatBody, context);
            var total = input + counts.Output;
            if (IsClaude(context.ModelId))
            {
                total = (long)Math.Round(total * options.ClaudeTokenMultiplier, MidpointRounding.AwayFromZero);
            }
            return total;
        }
        catch (Exception)
        {
            return 1;
        }
    }

    /// <summary>
    /// §14 step 3: <c>Input</c> = non-assistant messages + tools; <c>Output</c> = assistant messages.
    /// </summary>
    public static ChatTokenCounts Count(JsonElement chatBody, GptEncoding encoding)
    {
        var counter = new Counter(encoding);
        long input = 0, output = 0;
        int inputMessages = 0, outputMessages = 0;
        if (chatBody.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                var tokens = counter.Message(message);
                if (IsAssistant(message))
                {
                    output += tokens;
                    outputMessages++;
                }
                else
                {
                    input += tokens;
                    inputMessages++;
                }
            }
        }
        if (inputMessages > 0)
        {
            input += ReplyPriming;
        }
        if (outputMessages > 0)
        {
            output += ReplyPriming;
        }
        if (chatBody.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                input += counter.Tool(tool);
            }
            input += FunctionEnd;
        }
        return new ChatTokenCounts(input, output);
    }

    /// <summary>
    /// §14 step 4: with tools, an <c>anthropic-beta</c> header, no <c>mcp__</c> tool and not just the <c>Skill</c> tool,
    /// Claude models add 346 and Grok models 120.
    /// </summary>
    public static int ToolOverhead(JsonElement chatBody, TokenCountContext context)
    {
        if (!context.HasAnthropicBeta
            || !chatBody.TryGetProperty("tools", out var tools)
            || tools.ValueKind != JsonValueKind.Array
            || tools.GetArrayLength() == 0)
        {
            return 0;
        }
        var names = tools.EnumerateArray().Select(ToolName).ToList();
        if (names.Any(n => n is not null && n.StartsWith("mcp__", StringComparison.Ordinal))
            || (names.Count == 1 && names[0] == "Skill"))
        {
            return 0;
        }
        if (IsClaude(context.ModelId))
        {
            return ClaudeToolOverhead;
        }
        return context.ModelId.StartsWith("grok", StringComparison.Ordinal) ? GrokToolOverhead : 0;
    }

    private static bool IsClaude(string modelId) => modelId.StartsWith("claude", StringComparison.Ordinal);

    private static bool IsAssistant(JsonElement message)
        => message.ValueKind == JsonValueKind.Object
            && message.TryGetProperty("role", out var role)
            && role.ValueKind == JsonValueKind.String
            && role.ValueEquals("assistant"u8);

    private static string? ToolName(JsonElement tool)
        => tool.ValueKind == JsonValueKind.Object
            && tool.TryGetProperty("function", out var function)
            && function.ValueKind == JsonValueKind.Object
            && function.TryGetProperty("name", out var name)
            && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    /// <summary>Per-call state: the encoding and a reusable buffer for compact JSON.</summary>
    private sealed class Counter(GptEncoding encoding)
    {
        private readonly ArrayBufferWriter<byte> _json = new(1024);

        public int Tokens(string text)
            => text.Length == 0 ? 0 : encoding.CountTokens(text, _noSpecialTokens, _noSpecialTokens);

        /// <summary>3 + every string field + 1 for <c>name</c>; content parts; tool calls (7 + JSON each, then 12).</summary>
        public long Message(JsonElement message)
        {
            long tokens = TokensPerMessage;
            if (message.ValueKind != JsonValueKind.Object)
            {
                return tokens;
            }
            foreach (var property in message.EnumerateObject())
            {
                var value = property.Value;
                if (value.ValueKind == JsonValueKind.String)
                {
                    tokens += Tokens(value.GetString()!);
                }
                if (property.NameEquals("name"u8))
                {
                    tokens += TokensPerName;
                }
                else if (property.NameEquals("tool_calls"u8) && value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in value.EnumerateArray())
                    {
                        tokens += FunctionInit + Tokens(CompactJson(call));
                    }
                    tokens += FunctionEnd;
                }
                else if (property.NameEquals("content"u8) && value.ValueKind == JsonValueKind.Array)
                {
                    tokens += ContentParts(value);
                }
            }
            return tokens;
        }

        private long ContentParts(JsonElement parts)
        {
            long tokens = 0;
            foreach (var part in parts.EnumerateArray())
            {
                if (part.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }
                if (part.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("image_url"u8))
                {
                    var url = part.TryGetProperty("image_url", out var image) && image.ValueKind == JsonValueKind.Object
                        && image.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String
                        ? u.GetString()!
                        : "";
                    tokens += Tokens(url) + ImageTokens;
                }
                else if (part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    tokens += Tokens(text.GetString()!);
                }
            }
            return tokens;
        }

        /// <summary>7 + <c>name:description</c> (one trailing <c>.</c> removed) + the parameters schema.</summary>
        public long Tool(JsonElement tool)
        {
            long tokens = FunctionInit;
            if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            {
                return tokens;
            }
            var name = function.TryGetProperty("name", out var n) ? JsString(n) : "";
            var description = function.TryGetProperty("description", out var d) && IsTruthy(d) ? JsString(d) : "";
            tokens += Tokens(name + ":" + TrimOneDot(description));
            if (function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
            {
                tokens += Parameters(parameters);
            }
            return tokens;
        }

        /// <summary><c>properties</c> (if non-empty): 3 + each property; every other key: <c>key:value</c>.</summary>
        private long Parameters(JsonElement parameters)
        {
            long tokens = 0;
            foreach (var entry in parameters.EnumerateObject())
            {
                if (entry.NameEquals("properties"u8))
                {
                    if (entry.Value.ValueKind == JsonValueKind.Object && entry.Value.EnumerateObject().Any())
                    {
                        tokens += PropertiesInit;
                        foreach (var property in entry.Value.EnumerateObject())
                        {
                            tokens += Property(property.Name, property.Value);
                        }
                    }
                }
                else
                {
                    tokens += Tokens(entry.Name + ":" + ValueText(entry.Value));
                }
            }
            return tokens;
        }

        /// <summary>3 + <c>key:type:description</c> + enum items + <c>k:v</c> for the property's other keys.</summary>
        private long Property(string key, JsonElement property)
        {
            long tokens = PropertyKey;
            if (property.ValueKind != JsonValueKind.Object)
            {
                return tokens;
            }
            var type = property.TryGetProperty("type", out var t) && IsTruthy(t) ? JsString(t) : "string";
            var description = property.TryGetProperty("description", out var d) && IsTruthy(d) ? JsString(d) : "";
            if (property.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
            {
                tokens += EnumInit;
                foreach (var item in values.EnumerateArray())
                {
                    tokens += EnumItem + Tokens(JsString(item));
                }
            }
            tokens += Tokens(key + ":" + type + ":" + TrimOneDot(description));
            foreach (var other in property.EnumerateObject())
            {
                if (!other.NameEquals("type"u8) && !other.NameEquals("description"u8) && !other.NameEquals("enum"u8))
                {
                    tokens += Tokens(other.Name + ":" + ValueText(other.Value));
                }
            }
            return tokens;
        }

        /// <summary>A string as is, anything else as compact JSON.</summary>
        private string ValueText(JsonElement value)
            => value.ValueKind == JsonValueKind.String ? value.GetString()! : CompactJson(value);

        private string CompactJson(JsonElement value)
        {
            _json.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_json, _compactJson))
            {
                value.WriteTo(writer);
            }
            return Encoding.UTF8.GetString(_json.WrittenSpan);
        }
    }

    private static string TrimOneDot(string text) => text.EndsWith('.') ? text[..^1] : text;

    /// <summary>JavaScript truthiness of a JSON value (the rules were written against JS objects).</summary>
    private static bool IsTruthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Number => value.GetDouble() != 0,
        JsonValueKind.True or JsonValueKind.Object or JsonValueKind.Array => true,
        _ => false,
    };

    /// <summary>JavaScript's <c>String(value)</c>: arrays join their items with commas, objects are <c>[object Object]</c>.</summary>
    private static string JsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => string.Join(',', value.EnumerateArray().Select(v => v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? "" : JsString(v))),
        JsonValueKind.Object => "[object Object]",
        _ => "",
    };
}
