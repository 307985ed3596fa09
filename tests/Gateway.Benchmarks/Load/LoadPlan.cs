using System.Net;

namespace Gateway.Benchmarks.Load;

/// <summary>What one load run sends, over how many connections, for how long.</summary>
public sealed record LoadPlan
{
    public required IPEndPoint Target { get; init; }

    /// <summary>The whole request, head and body, as sent on every iteration.</summary>
    public required byte[] Request { get; init; }

    /// <summary>When set, a response counts as successful only if the last bytes of its body contain this (e.g. <c>[DONE]</c>).</summary>
    public byte[]? EndMarker { get; init; }

    public int Connections { get; init; } = 32;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long in-flight requests may take to finish after the window before their connections are cut.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
