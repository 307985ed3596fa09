namespace Gateway.Benchmarks.Scenarios;

/// <summary>
/// One benchmark scenario: the same load sent straight to the fake upstream (<see cref="Direct"/>) and through the
/// gateway (<see cref="Gateway"/>), so the difference is the gateway's cost.
/// </summary>
public sealed record Scenario(string Name, string Title, bool Streaming, ScenarioRequest Direct, ScenarioRequest Gateway);

/// <summary>
/// A request of a scenario: path, headers besides <c>Host</c> and <c>Content-Length</c>, the body, and for streams
/// the bytes a complete response ends with.
/// </summary>
public sealed record ScenarioRequest(string Path, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, byte[]? EndMarker);
