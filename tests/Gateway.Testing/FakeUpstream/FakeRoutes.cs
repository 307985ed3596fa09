using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// Every path the fake serves. One server plays GitHub web and API (SPEC §2.2–§2.3, §15.1), the Copilot API (§2.1
/// paths) and a provider (§13.2: <c>{baseUrl}/v1/...</c>), so a test can point every upstream URL of §0 at it.
/// A frozen path table rather than endpoint routing: the fake needs no route templates, and the benchmark should
/// measure the gateway rather than the fake.
/// </summary>
internal static class FakeRoutes
{
    public static FrozenDictionary<string, FakeRoute> All { get; } = Build().ToFrozenDictionary(StringComparer.Ordinal);

    private static Dictionary<string, FakeRoute> Build()
    {
        var post = HttpMethods.Post;
        var get = HttpMethods.Get;
        var chat = new FakeRoute(post, UpstreamAuth.Copilot, ErrorDialect.OpenAi, ChatCompletionsHandler.HandleAsync, ParsesBody: true, RequiresModel: true);
        var responses = new FakeRoute(post, UpstreamAuth.Copilot, ErrorDialect.OpenAi, ResponsesHandler.HandleAsync, ParsesBody: true, RequiresModel: true);
        var embeddings = new FakeRoute(post, UpstreamAuth.Copilot, ErrorDialect.OpenAi, EmbeddingsHandler.HandleAsync, ParsesBody: true, RequiresModel: true, CollectsInputs: true);
        return new Dictionary<string, FakeRoute>
        {
            ["/login/device/code"] = new(post, UpstreamAuth.None, ErrorDialect.GitHub, GitHubHandlers.DeviceCodeAsync, ParsesBody: true),
            ["/login/oauth/access_token"] = new(post, UpstreamAuth.None, ErrorDialect.GitHub, GitHubHandlers.AccessTokenAsync, ParsesBody: true),
            ["/user"] = new(get, UpstreamAuth.GitHub, ErrorDialect.GitHub, GitHubHandlers.UserAsync),
            ["/copilot_internal/v2/token"] = new(get, UpstreamAuth.GitHub, ErrorDialect.GitHub, GitHubHandlers.CopilotTokenAsync),
            ["/copilot_internal/user"] = new(get, UpstreamAuth.GitHub, ErrorDialect.GitHub, GitHubHandlers.QuotaAsync),

            ["/models"] = new(get, UpstreamAuth.Copilot, ErrorDialect.OpenAi, ModelsHandler.CopilotAsync),
            ["/chat/completions"] = chat,
            ["/responses"] = responses,
            ["/embeddings"] = embeddings,
            ["/v1/messages"] = new(post, UpstreamAuth.CopilotOrProvider, ErrorDialect.Anthropic, MessagesHandler.HandleAsync, ParsesBody: true, RequiresModel: true),

            ["/v1/models"] = new(get, UpstreamAuth.Provider, ErrorDialect.OpenAi, ModelsHandler.OpenAiAsync),
            ["/v1/chat/completions"] = chat with { Auth = UpstreamAuth.Provider },
            ["/v1/responses"] = responses with { Auth = UpstreamAuth.Provider },
            ["/v1/embeddings"] = embeddings with { Auth = UpstreamAuth.Provider },
            ["/v1/messages/count_tokens"] = new(post, UpstreamAuth.Provider, ErrorDialect.Anthropic, MessagesHandler.CountTokensAsync, ParsesBody: true, RequiresModel: true),
        };
    }
}
