namespace Gateway.Api.Usage;

/// <summary>A half-open time range <c>[From, To)</c>; a null <see cref="From"/> reaches back to the first record.</summary>
public readonly record struct UsageRange(DateTimeOffset? From, DateTimeOffset To);
