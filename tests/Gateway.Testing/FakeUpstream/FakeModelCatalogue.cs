namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// The catalogue the fake serves unless a test replaces <see cref="FakeUpstreamState.Models"/>. It covers each
/// routing case of SPEC §2.5, §8, §9 and §11: native Messages with and without adaptive thinking, Chat-only,
/// Chat + Responses, Responses + WebSocket with a 1M context, a small model, an embeddings model, and two entries the
/// gateway must drop (policy disabled; not in the model picker).
/// </summary>
public static class FakeModelCatalogue
{
    private const long ImageSize = 3_145_728;

    public static FakeModel ClaudeSonnet45 { get; } = new()
    {
        Id = "claude-sonnet-4.5",
        Name = "Claude Sonnet 4.5",
        Vendor = "Anthropic",
        MaxContextWindowTokens = 144_000,
        MaxOutputTokens = 16_000,
        MaxPromptTokens = 128_000,
        VisionMaxPromptImageSize = ImageSize,
        Vision = true,
        AdaptiveThinking = false,
        MinThinkingBudget = 1024,
        MaxThinkingBudget = 32_000,
        SupportedEndpoints = ["/v1/messages", "/chat/completions"],
    };

    public static FakeModel ClaudeOpus47 { get; } = new()
    {
        Id = "claude-opus-4.7",
        Name = "Claude Opus 4.7",
        Vendor = "Anthropic",
        MaxContextWindowTokens = 200_000,
        MaxOutputTokens = 32_000,
        MaxPromptTokens = 168_000,
        VisionMaxPromptImageSize = ImageSize,
        Vision = true,
        AdaptiveThinking = true,
        ReasoningEfforts = ["low", "medium", "high", "max"],
        MinThinkingBudget = 1024,
        MaxThinkingBudget = 32_000,
        SupportedEndpoints = ["/v1/messages"],
    };

    public static FakeModel Gpt41 { get; } = new()
    {
        Id = "gpt-4.1",
        Name = "GPT-4.1",
        Vendor = "Azure OpenAI",
        Version = "gpt-4.1-2025-04-14",
        MaxContextWindowTokens = 128_000,
        MaxOutputTokens = 16_384,
        MaxPromptTokens = 128_000,
        VisionMaxPromptImageSize = ImageSize,
        Vision = true,
        SupportedEndpoints = ["/chat/completions"],
    };

    public static FakeModel Gpt5Mini { get; } = new()
    {
        Id = "gpt-5-mini",
        Name = "GPT-5 mini",
        Vendor = "Azure OpenAI",
        MaxContextWindowTokens = 264_000,
        MaxOutputTokens = 64_000,
        MaxPromptTokens = 128_000,
        VisionMaxPromptImageSize = ImageSize,
        Vision = true,
        ReasoningEfforts = ["low", "medium", "high"],
        SupportedEndpoints = ["/chat/completions", "/responses"],
    };

    public static FakeModel Gpt54 { get; } = new()
    {
        Id = "gpt-5.4",
        Name = "GPT-5.4",
        MaxContextWindowTokens = 1_000_000,
        MaxOutputTokens = 128_000,
        MaxPromptTokens = 872_000,
        VisionMaxPromptImageSize = ImageSize,
        Vision = true,
        ReasoningEfforts = ["low", "medium", "high", "xhigh"],
        SupportedEndpoints = ["/responses", "ws:/responses"],
    };

    /// <summary>The default small model (SPEC §18 <c>smallModels</c>).</summary>
    public static FakeModel Gpt6Luna { get; } = new()
    {
        Id = "gpt-6-luna",
        Name = "GPT-6 Luna",
        MaxContextWindowTokens = 128_000,
        MaxOutputTokens = 16_384,
        MaxPromptTokens = 112_000,
        SupportedEndpoints = ["/chat/completions", "/responses"],
    };

    public static FakeModel TextEmbedding3Small { get; } = new()
    {
        Id = "text-embedding-3-small",
        Name = "Embedding V3 small",
        Vendor = "Azure OpenAI",
        Type = "embeddings",
        Tokenizer = "cl100k_base",
        MaxContextWindowTokens = null,
        MaxOutputTokens = null,
        MaxPromptTokens = 8191,
        ToolCalls = null,
        Vision = null,
        Streaming = null,
        ParallelToolCalls = null,
        ModelPickerEnabled = false,
        SupportedEndpoints = ["/embeddings"],
    };

    /// <summary>Picker-visible but disabled by policy: the gateway must not list it.</summary>
    public static FakeModel PolicyDisabled { get; } = new()
    {
        Id = "grok-code-fast-1",
        Name = "Grok Code Fast 1",
        Vendor = "xAI",
        PolicyState = "disabled",
    };

    /// <summary>A chat model hidden from the picker: the gateway must not list it.</summary>
    public static FakeModel PickerHidden { get; } = new()
    {
        Id = "gpt-4o-mini",
        Name = "GPT-4o mini",
        Vendor = "Azure OpenAI",
        ModelPickerEnabled = false,
    };

    public static IReadOnlyList<FakeModel> Default { get; } =
    [
        ClaudeSonnet45, ClaudeOpus47, Gpt41, Gpt5Mini, Gpt54, Gpt6Luna, TextEmbedding3Small, PolicyDisabled, PickerHidden,
    ];

    /// <summary>The ids of <see cref="Default"/> the gateway keeps after the SPEC §2.5 filter, in catalogue order.</summary>
    public static IReadOnlyList<string> DefaultVisibleIds { get; } =
        ["claude-sonnet-4.5", "claude-opus-4.7", "gpt-4.1", "gpt-5-mini", "gpt-5.4", "gpt-6-luna", "text-embedding-3-small"];
}
