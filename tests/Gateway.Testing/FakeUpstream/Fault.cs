namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// A failure the fake upstream injects into one request, queued with
/// <see cref="FakeUpstreamServer.EnqueueFault"/> or selected by a model name such as <c>fault-429</c>
/// (see <see cref="FromModelName"/>).
/// </summary>
public abstract record Fault
{
    private protected Fault()
    {
    }

    /// <summary>Answers with this status, body (sent as JSON) and extra headers instead of the normal response.</summary>
    public static Fault Status(int status, string body, IDictionary<string, string>? headers = null) =>
        new StatusFault(status, body, headers is null ? new Dictionary<string, string>() : new Dictionary<string, string>(headers));

    /// <summary>Waits this long before the status line, then answers normally (header-timeout and TTFB tests).</summary>
    public static Fault SlowFirstByte(TimeSpan delay) => new SlowFirstByteFault(delay);

    /// <summary>
    /// Streams <paramref name="events"/> SSE events, then aborts the connection (<c>HttpContext.Abort()</c>).
    /// A non-streaming request is aborted before any body byte is sent.
    /// </summary>
    public static Fault DropAfterEvents(int events) => new DropAfterEventsFault(events);

    /// <summary>
    /// Sends a 200 event-stream status line and headers, then ends the body without any event: a stream that fails
    /// before its first event, seen the same way on every run (a dropped connection may also cut the headers).
    /// </summary>
    public static Fault EmptyStream { get; } = new EmptyStreamFault();

    /// <summary>Never answers; the request ends only when the client goes away (the recording is then aborted).</summary>
    public static Fault Hang { get; } = new HangFault();

    /// <summary>The 429 Copilot sends when an account is throttled: <c>retry-after: 7</c>, <c>x-ratelimit-remaining: 0</c>.</summary>
    public static Fault RateLimited { get; } = Status(
        429,
        """{"error":{"message":"Sorry, you have exceeded your rate limit.","code":"rate_limited"}}""",
        new Dictionary<string, string> { ["retry-after"] = "7", ["x-ratelimit-remaining"] = "0" });

    /// <summary>
    /// The fault a model name asks for, so a test can trigger one through the gateway without touching the fake:
    /// <c>fault-429</c> (<see cref="RateLimited"/>), <c>fault-&lt;status&gt;</c> (that status with an OpenAI-style
    /// error body), <c>fault-hang</c>, <c>fault-drop-&lt;n&gt;</c> (<see cref="DropAfterEvents"/>),
    /// <c>fault-slow-&lt;ms&gt;</c> (<see cref="SlowFirstByte"/>). Null for any other name.
    /// </summary>
    public static Fault? FromModelName(string? model)
    {
        if (model is null || !model.StartsWith("fault-", StringComparison.Ordinal))
        {
            return null;
        }

        var spec = model.AsSpan("fault-".Length);
        if (spec.SequenceEqual("hang"))
        {
            return Hang;
        }

        if (spec.StartsWith("drop-") && int.TryParse(spec["drop-".Length..], out var events) && events >= 0)
        {
            return DropAfterEvents(events);
        }

        if (spec.StartsWith("slow-") && int.TryParse(spec["slow-".Length..], out var milliseconds) && milliseconds >= 0)
        {
            return SlowFirstByte(TimeSpan.FromMilliseconds(milliseconds));
        }

        if (int.TryParse(spec, out var status) && status is >= 400 and <= 599)
        {
            return status == 429
                ? RateLimited
                : Status(status, $$$"""{"error":{"message":"fake upstream fault {{{status}}}","type":"fake_fault"}}""");
        }

        return null;
    }
}

/// <summary>See <see cref="Fault.Status"/>.</summary>
public sealed record StatusFault(int StatusCode, string Body, IReadOnlyDictionary<string, string> Headers) : Fault;

/// <summary>See <see cref="Fault.SlowFirstByte"/>.</summary>
public sealed record SlowFirstByteFault(TimeSpan Delay) : Fault;

/// <summary>See <see cref="Fault.DropAfterEvents"/>.</summary>
public sealed record DropAfterEventsFault(int Events) : Fault;

/// <summary>See <see cref="Fault.EmptyStream"/>.</summary>
public sealed record EmptyStreamFault : Fault;

/// <summary>See <see cref="Fault.Hang"/>.</summary>
public sealed record HangFault : Fault;
