using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.GitHub;

namespace Gateway.Api.Hosting;

/// <summary>The GitHub OAuth device flow on the console (SPEC §2.2), ending with the account stored in its grain.</summary>
public static class DeviceFlow
{
    /// <returns>The login added, or null when the flow failed (the reason is printed).</returns>
    public static async Task<string?> RunAsync(GitHubClient gitHub, IGrainFactory grains, TextWriter console, CancellationToken ct, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var code = await gitHub.StartDeviceFlowAsync(ct);
        await console.WriteLineAsync($"To sign in, open {code.VerificationUri} and enter the code {code.UserCode}");
        var deadline = time.GetUtcNow().AddSeconds(code.ExpiresIn);
        var interval = TimeSpan.FromSeconds(code.Interval + 1);
        while (true)
        {
            await Task.Delay(interval, time, ct);
            if (time.GetUtcNow() >= deadline)
            {
                await console.WriteLineAsync("The device code expired before it was authorised. Run `auth` again.");
                return null;
            }
            var poll = await gitHub.PollDeviceFlowAsync(code.Code, ct);
            switch (poll.Status)
            {
                case DevicePollStatus.Authorized:
                    var login = await gitHub.GetLoginAsync(poll.AccessToken!, ct);
                    var result = await grains.GetGrain<IGitHubAccountGrain>(login).RegisterAsync(poll.AccessToken!);
                    if (!result.Succeeded)
                    {
                        await console.WriteLineAsync($"Signed in as {login}, but the account cannot use Copilot: {result.Error}");
                        return null;
                    }
                    await console.WriteLineAsync($"Signed in as {login}.");
                    return login;
                case DevicePollStatus.SlowDown:
                    interval += TimeSpan.FromSeconds(5);
                    break;
                case DevicePollStatus.Expired:
                    await console.WriteLineAsync("The device code expired. Run `auth` again.");
                    return null;
                case DevicePollStatus.Denied:
                    await console.WriteLineAsync("Access was denied on GitHub.");
                    return null;
                default:
                    // Pending, or a non-2xx answer: keep polling (SPEC §2.2).
                    break;
            }
        }
    }
}
