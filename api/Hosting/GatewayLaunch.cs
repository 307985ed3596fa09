namespace Gateway.Api.Hosting;

/// <summary>How to build a gateway host: configuration from the command line, plus hooks for tests.</summary>
public sealed record GatewayLaunch
{
    /// <summary>Command-line configuration tokens (<c>--Gateway:port=8080</c>), lowest of the explicit sources.</summary>
    public string[] ConfigArgs { get; init; } = [];

    /// <summary>Values from the CLI switches (SPEC §1.5) and tests; they win over every other source.</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>False for verbs that only need the grains (auth, check-usage): Kestrel binds a throwaway loopback port.</summary>
    public bool ServeHttp { get; init; } = true;

    /// <summary>Write start-up messages (admin key, URLs, models, device flow) to this writer; null for none.</summary>
    public TextWriter? Console { get; init; } = System.Console.Out;

    public Action<WebApplicationBuilder>? ConfigureBuilder { get; init; }
}

/// <summary>Configuration problems that stop the gateway from starting, listed all at once.</summary>
public sealed class GatewayStartupException(IReadOnlyList<string> problems)
    : Exception("The gateway cannot start:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
