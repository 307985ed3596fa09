using System.Text;

namespace Gateway.Benchmarks.Scenarios;

/// <summary>
/// The scenarios the benchmark knows. Bodies carry <c>max_tokens</c> so the gateway forwards Chat Completions bodies
/// byte for byte (SPEC §11.1 only adds it when absent) and both paths make the fake do the same work.
/// </summary>
public static class ScenarioCatalog
{
    public const string Chat = "chat";
    public const string ChatStream = "chat-stream";
    public const string MessagesStream = "messages-stream";

    private const string ContentType = "application/json";

    public static IReadOnlyList<string> Names { get; } = [Chat, ChatStream, MessagesStream];

    public static IReadOnlyList<string> Defaults { get; } = [Chat, ChatStream];

    /// <param name="copilotToken">The Copilot token direct requests present, as the gateway does upstream.</param>
    public static Scenario Create(string name, string model, string copilotToken)
    {
        var directHeaders = new KeyValuePair<string, string>[]
        {
            new("Content-Type", ContentType),
            new("Authorization", "Bearer " + copilotToken),
        };
        // Standalone on loopback with no key configured: the gateway's key routes need no key (SPEC §1.2).
        var gatewayHeaders = new KeyValuePair<string, string>[] { new("Content-Type", ContentType) };
        var done = "data: [DONE]"u8.ToArray();
        return name switch
        {
            Chat => new Scenario(Chat, "Chat Completions, non-stream", Streaming: false,
                new ScenarioRequest("/chat/completions", directHeaders, ChatBody(model, stream: false), null),
                new ScenarioRequest("/v1/chat/completions", gatewayHeaders, ChatBody(model, stream: false), null)),
            ChatStream => new Scenario(ChatStream, "Chat Completions, stream", Streaming: true,
                new ScenarioRequest("/chat/completions", directHeaders, ChatBody(model, stream: true), done),
                new ScenarioRequest("/v1/chat/completions", gatewayHeaders, ChatBody(model, stream: true), done)),
            // The translated path (SPEC §5, §7): Anthropic stream in, Chat Completions stream upstream, compared with
            // the same Chat stream sent straight to the fake. The model must list only /chat/completions so the
            // gateway translates instead of passing through natively (SPEC §3.1 step 7).
            MessagesStream => new Scenario(MessagesStream, "Anthropic Messages stream, translated", Streaming: true,
                new ScenarioRequest("/chat/completions", directHeaders, ChatBody(model, stream: true), done),
                new ScenarioRequest("/v1/messages", [.. gatewayHeaders, new("anthropic-version", "2023-06-01")], MessagesBody(model), "message_stop"u8.ToArray())),
            _ => throw new ArgumentException($"Unknown scenario '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    private static byte[] ChatBody(string model, bool stream) => Encoding.UTF8.GetBytes(
        $$"""{"model":"{{model}}","max_tokens":1024,"messages":[{"role":"system","content":"You are a concise assistant."},{"role":"user","content":"Say hello in one short sentence."}],"stream":{{(stream ? "true" : "false")}}}""");

    private static byte[] MessagesBody(string model) => Encoding.UTF8.GetBytes(
        $$"""{"model":"{{model}}","max_tokens":1024,"system":"You are a concise assistant.","messages":[{"role":"user","content":"Say hello in one short sentence."}],"stream":true}""");
}
