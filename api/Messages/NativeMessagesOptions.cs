namespace Gateway.Api.Messages;

/// <summary>Configuration the native Messages passthrough (SPEC §8) reads; the caller maps it from §18 settings.</summary>
public sealed record NativeMessagesOptions
{
    /// <summary><c>modelReasoningEfforts</c>: model id → effort. Defaults to the §18 built-in entries.</summary>
    public IReadOnlyDictionary<string, string> ModelReasoningEfforts { get; init; } = ReasoningEffortResolver.Defaults;
}
