namespace Gateway.Testing.FakeUpstream;

/// <summary><c>GET /models</c> (Copilot catalogue, SPEC §2.5) and <c>GET /v1/models</c> (provider list), both pre-serialised.</summary>
internal static class ModelsHandler
{
    public static Task CopilotAsync(FakeExchange exchange) => exchange.WriteJsonAsync(exchange.State.ModelsJson.CopilotJson);

    public static Task OpenAiAsync(FakeExchange exchange) => exchange.WriteJsonAsync(exchange.State.ModelsJson.OpenAiJson);
}
