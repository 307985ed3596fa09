namespace Gateway.Api.Forwarding;

/// <summary>How one upstream attempt of <see cref="CopilotForwarder"/> ended, for the retry decision.</summary>
internal enum AttemptVerdict : byte
{
    /// <summary>2xx: relay the response.</summary>
    Success,

    /// <summary>The client already got an answer (no account, builder error, 504) or left: never retried.</summary>
    Answered,

    /// <summary>First 401: the token was refreshed; retry the same account (SPEC §2.3).</summary>
    Unauthorized,

    /// <summary>The upstream could not be reached (connect failure, reset).</summary>
    Unreachable,

    /// <summary>429: the account is cooling down (SPEC §16.2).</summary>
    RateLimited,

    /// <summary>5xx.</summary>
    ServerError,

    /// <summary>Any other status (including a second 401): relayed to the client as it is (SPEC §17).</summary>
    UpstreamError,
}

/// <summary>
/// The outcome of one attempt: the verdict, the upstream response when there is one (a 2xx to relay or an error to
/// relay or discard), the lease it was sent on, and for <see cref="AttemptVerdict.Answered"/> the caller's result.
/// </summary>
internal readonly record struct ForwardAttempt(
    AttemptVerdict Verdict,
    HttpResponseMessage? Response,
    Grains.Abstractions.Accounts.AccountLease? Lease,
    Catalog.ModelCatalog? Catalog,
    string? FailureMessage,
    UpstreamResult Result)
{
    public static ForwardAttempt Answered(UpstreamResult result) => new(AttemptVerdict.Answered, null, null, null, null, result);
}
