namespace Gateway.Testing.FakeUpstream;

/// <summary>How a <see cref="FakeUpstreamServer"/> starts.</summary>
public sealed class FakeUpstreamOptions
{
    /// <summary>Keep a copy of each request. Benchmarks turn this off so the fake costs as little as possible.</summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>Recordings kept; the oldest are dropped beyond this.</summary>
    public int MaxRecordings { get; set; } = 10_000;

    /// <summary>
    /// Clock for token expiry and timestamps; a fake clock lets tests expire Copilot tokens. Fault and chunk delays
    /// are real time whatever the clock.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Loopback port to listen on; 0 (default) picks a free one.</summary>
    public int Port { get; set; }
}
