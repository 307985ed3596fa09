using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.Abstractions.Tenants;
using Gateway.Grains.GitHub;
using Microsoft.Extensions.Logging;

namespace Gateway.Grains.Tenants;

/// <summary>
/// A device flow started through the admin API (SPEC §2.2, §16.1). The flow lives in memory only: it lasts minutes
/// and the person who started it can start another; a grain timer polls GitHub every <c>interval + 1</c> s (+5 s per
/// <c>slow_down</c>) until success, denial or <c>expires_in</c>, and keeps the activation alive meanwhile.
/// </summary>
public sealed class DeviceFlowGrain(GitHubClient gitHub, TimeProvider time, ILogger<DeviceFlowGrain> logger) : Grain, IDeviceFlowGrain
{
    private DeviceFlowProgress _progress = new(DeviceFlowStatus.Unknown, null, null);
    private DeviceCode? _code;
    private DateTimeOffset _deadline;
    private TimeSpan _interval;
    private IGrainTimer? _timer;

    public async Task<DeviceFlowStart> StartAsync()
    {
        if (_code is { } started)
        {
            return new DeviceFlowStart(true, null, started.UserCode, started.VerificationUri, started.ExpiresIn, started.Interval);
        }
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            _code = await gitHub.StartDeviceFlowAsync(cts.Token);
        }
        catch (Exception ex) when (ex is GitHubException or HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            Log.DeviceFlowFailed(logger, ex.Message);
            return new DeviceFlowStart(false, ex.Message, null, null, 0, 0);
        }
        _progress = new DeviceFlowProgress(DeviceFlowStatus.Pending, null, null);
        _deadline = time.GetUtcNow().AddSeconds(_code.ExpiresIn);
        _interval = TimeSpan.FromSeconds(_code.Interval + 1);
        Schedule();
        return new DeviceFlowStart(true, null, _code.UserCode, _code.VerificationUri, _code.ExpiresIn, _code.Interval);
    }

    public Task<DeviceFlowProgress> GetStatusAsync() => Task.FromResult(_progress);

    private void Schedule()
    {
        _timer?.Dispose();
        _timer = this.RegisterGrainTimer(PollAsync, new GrainTimerCreationOptions(_interval, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private async Task PollAsync(CancellationToken ct)
    {
        if (_progress.Status != DeviceFlowStatus.Pending || _code is null)
        {
            return;
        }
        if (time.GetUtcNow() >= _deadline)
        {
            Finish(new DeviceFlowProgress(DeviceFlowStatus.Expired, null, "The device code expired before it was authorised."));
            return;
        }
        DevicePoll poll;
        try
        {
            poll = await gitHub.PollDeviceFlowAsync(_code.Code, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            // SPEC §2.2: a failed poll is logged and polling goes on.
            Log.DeviceFlowPollFailed(logger, ex.Message);
            Schedule();
            return;
        }
        switch (poll.Status)
        {
            case DevicePollStatus.Authorized:
                Finish(await RegisterAsync(poll.AccessToken!, ct));
                return;
            case DevicePollStatus.Expired:
                Finish(new DeviceFlowProgress(DeviceFlowStatus.Expired, null, "The device code expired."));
                return;
            case DevicePollStatus.Denied:
                Finish(new DeviceFlowProgress(DeviceFlowStatus.Denied, null, "Access was denied on GitHub."));
                return;
            case DevicePollStatus.SlowDown:
                _interval += TimeSpan.FromSeconds(5);
                break;
            default:
                if (poll.Status == DevicePollStatus.HttpError)
                {
                    Log.DeviceFlowPollFailed(logger, poll.Error ?? "unexpected response");
                }
                break;
        }
        Schedule();
    }

    private async Task<DeviceFlowProgress> RegisterAsync(string githubToken, CancellationToken ct)
    {
        string login;
        try
        {
            login = await gitHub.GetLoginAsync(githubToken, ct);
        }
        catch (Exception ex) when (ex is GitHubException or HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            return new DeviceFlowProgress(DeviceFlowStatus.Denied, null, ex.Message);
        }
        var result = await GrainFactory.GetGrain<IGitHubAccountGrain>(login).RegisterAsync(githubToken);
        return result.Succeeded
            ? new DeviceFlowProgress(DeviceFlowStatus.Complete, result.Account, null)
            : new DeviceFlowProgress(DeviceFlowStatus.Denied, null, $"Signed in as {login}, but the account cannot use Copilot: {result.Error}");
    }

    private void Finish(DeviceFlowProgress progress)
    {
        _progress = progress;
        _timer?.Dispose();
        _timer = null;
        Log.DeviceFlowFinished(logger, progress.Status.ToString(), progress.Account?.Login);
        // Stay around long enough for the admin to read the outcome from any front end.
        DelayDeactivation(TimeSpan.FromMinutes(15));
    }
}
