using Gateway.Grains.Abstractions.Accounts;

namespace Gateway.Grains.Abstractions.Tenants;

/// <summary>
/// One GitHub device flow started through the admin API (SPEC §2.2, §16.1), keyed by a random flow id. The grain
/// polls GitHub on a timer, so any front end can answer <c>GET /admin/accounts/device-flow/{flowId}</c>; on success
/// it registers the account in its <see cref="IGitHubAccountGrain"/>.
/// </summary>
[Alias("gw.IDeviceFlowGrain")]
public interface IDeviceFlowGrain : IGrainWithStringKey
{
    [Alias("Start")]
    Task<DeviceFlowStart> StartAsync();

    [Alias("GetStatus")]
    Task<DeviceFlowProgress> GetStatusAsync();
}

[GenerateSerializer, Immutable, Alias("gw.DeviceFlowStart")]
public sealed record DeviceFlowStart(
    [property: Id(0)] bool Succeeded,
    [property: Id(1)] string? Error,
    [property: Id(2)] string? UserCode,
    [property: Id(3)] string? VerificationUri,
    [property: Id(4)] int ExpiresIn,
    [property: Id(5)] int Interval);

public enum DeviceFlowStatus
{
    /// <summary>No flow was started under this id.</summary>
    Unknown = 0,
    Pending = 1,
    Complete = 2,
    Expired = 3,
    Denied = 4,
}

/// <param name="Error">Why a flow ended without an account (denied on GitHub, or the account has no Copilot access).</param>
[GenerateSerializer, Immutable, Alias("gw.DeviceFlowProgress")]
public sealed record DeviceFlowProgress(
    [property: Id(0)] DeviceFlowStatus Status,
    [property: Id(1)] AccountSummary? Account,
    [property: Id(2)] string? Error);
