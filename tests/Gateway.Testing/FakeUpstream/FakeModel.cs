namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// One entry of the Copilot <c>GET /models</c> catalogue, with the fields the gateway reads (SPEC §2.5).
/// Null values are left out of the JSON. Defaults describe an enabled, picker-visible chat model.
/// </summary>
public sealed record FakeModel
{
    public required string Id { get; init; }

    /// <summary>Display name; defaults to <see cref="Id"/>.</summary>
    public string? Name { get; init; }

    public string Vendor { get; init; } = "OpenAI";

    /// <summary>Defaults to <see cref="Id"/>.</summary>
    public string? Version { get; init; }

    /// <summary><c>capabilities.family</c>; defaults to <see cref="Id"/>.</summary>
    public string? Family { get; init; }

    /// <summary><c>capabilities.type</c>: <c>chat</c> or <c>embeddings</c>.</summary>
    public string Type { get; init; } = "chat";

    public string Tokenizer { get; init; } = "o200k_base";

    public long? MaxContextWindowTokens { get; init; } = 128_000;
    public long? MaxOutputTokens { get; init; } = 16_384;
    public long? MaxPromptTokens { get; init; } = 112_000;

    /// <summary><c>capabilities.limits.vision.max_prompt_image_size</c> in bytes; null leaves out <c>vision</c>.</summary>
    public long? VisionMaxPromptImageSize { get; init; }

    public bool? ToolCalls { get; init; } = true;
    public bool? Vision { get; init; } = false;
    public bool? Streaming { get; init; } = true;
    public bool? ParallelToolCalls { get; init; } = true;
    public bool? AdaptiveThinking { get; init; }
    public IReadOnlyList<string>? ReasoningEfforts { get; init; }
    public long? MinThinkingBudget { get; init; }
    public long? MaxThinkingBudget { get; init; }

    /// <summary><c>/chat/completions</c>, <c>/responses</c>, <c>ws:/responses</c>, <c>/v1/messages</c>.</summary>
    public IReadOnlyList<string> SupportedEndpoints { get; init; } = ["/chat/completions"];

    public bool ModelPickerEnabled { get; init; } = true;
    public bool Preview { get; init; }

    /// <summary><c>policy.state</c> (<c>enabled</c>, <c>disabled</c>); null leaves out <c>policy</c>.</summary>
    public string? PolicyState { get; init; } = "enabled";
}
