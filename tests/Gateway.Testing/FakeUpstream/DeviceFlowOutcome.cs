namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// One answer of <c>POST /login/oauth/access_token</c> (SPEC §2.2). GitHub answers the pending states with
/// HTTP 200 and an <c>error</c> field; success carries <c>access_token</c>.
/// </summary>
/// <param name="Error"><c>authorization_pending</c>, <c>slow_down</c>, <c>expired_token</c>, <c>access_denied</c>, or null for success.</param>
/// <param name="AccessToken">The token to issue on success; null issues <c>gho_fake_&lt;n&gt;</c>.</param>
/// <param name="Login">The GitHub login the issued token belongs to; null uses <see cref="FakeUpstreamState.DeviceFlowLogin"/>.</param>
public sealed record DeviceFlowOutcome(string? Error, string? AccessToken = null, string? Login = null)
{
    public static DeviceFlowOutcome Pending { get; } = new("authorization_pending");
    public static DeviceFlowOutcome SlowDown { get; } = new("slow_down");
    public static DeviceFlowOutcome ExpiredToken { get; } = new("expired_token");
    public static DeviceFlowOutcome AccessDenied { get; } = new("access_denied");

    public static DeviceFlowOutcome Success(string? accessToken = null, string? login = null) => new(null, accessToken, login);
}
