using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.Abstractions.Tenants;
using Gateway.Grains.GitHub;

namespace Gateway.Api.Admin;

/// <summary>GitHub accounts through the admin API (SPEC §16.1), including the device flow (SPEC §2.2).</summary>
internal static class AccountAdminEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapPost("/accounts", AddAccountAsync);
        admin.MapGet("/accounts", ListAccountsAsync);
        admin.MapDelete("/accounts/{login}", RemoveAccountAsync);
        admin.MapGet("/accounts/{login}/quota", QuotaAsync);
        admin.MapPost("/accounts/device-flow", StartDeviceFlowAsync);
        admin.MapGet("/accounts/device-flow/{flowId}", DeviceFlowStatusAsync);
    }

    private static async Task<IResult> AddAccountAsync(HttpRequest request, IGrainFactory grains, GitHubClient gitHub)
    {
        var (document, error) = await AdminRequestBody.ReadObjectAsync(request, allowEmpty: false);
        string token;
        using (document)
        {
            if (document is null)
            {
                return AdminResults.BadRequest(error!);
            }
            if (!document.RootElement.TryGetProperty("githubToken", out var value) || value.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(value.GetString()))
            {
                return AdminResults.BadRequest("githubToken must be a non-empty string");
            }
            token = value.GetString()!.Trim();
        }
        string login;
        try
        {
            login = await gitHub.GetLoginAsync(token, request.HttpContext.RequestAborted);
        }
        catch (GitHubException ex)
        {
            return AdminResults.BadRequest($"githubToken was not accepted by GitHub: {ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            return AdminResults.Error(StatusCodes.Status502BadGateway, $"GitHub could not be reached: {ex.Message}");
        }
        var result = await grains.GetGrain<IGitHubAccountGrain>(login).RegisterAsync(token);
        if (!result.Succeeded)
        {
            return AdminResults.BadRequest($"githubToken belongs to {login}, which cannot use Copilot: {result.Error}");
        }
        return AdminResults.Json(StatusCodes.Status201Created, w => AdminJson.WriteAccount(w, result.Account!));
    }

    private static async Task<IResult> ListAccountsAsync(IGrainFactory grains)
    {
        var directory = await grains.GetGrain<IAccountDirectoryGrain>(IAccountDirectoryGrain.DefaultKey).GetAsync();
        var summaries = await Task.WhenAll(directory.Logins.Select(login => grains.GetGrain<IGitHubAccountGrain>(login).GetSummaryAsync()));
        return AdminResults.OkArray(summaries, AdminJson.WriteAccount);
    }

    private static async Task<IResult> RemoveAccountAsync(string login, IGrainFactory grains)
    {
        var account = grains.GetGrain<IGitHubAccountGrain>(login);
        if (await account.GetSummaryAsync() is null)
        {
            return AccountNotFound(login);
        }
        await account.RemoveAsync();
        return Results.NoContent();
    }

    private static async Task<IResult> QuotaAsync(string login, HttpContext context, IGrainFactory grains)
    {
        var account = grains.GetGrain<IGitHubAccountGrain>(login);
        if (await account.GetSummaryAsync() is null)
        {
            return AccountNotFound(login);
        }
        var quota = await account.GetQuotaAsync();
        if (quota.Status is < 200 or >= 300 || quota.Json is null)
        {
            return AdminResults.Error(StatusCodes.Status502BadGateway, "Could not read Copilot usage");
        }
        // SPEC §15.1: the quota JSON unchanged.
        return Results.Text(quota.Json, "application/json");
    }

    private static async Task<IResult> StartDeviceFlowAsync(IGrainFactory grains)
    {
        var flowId = "df_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var start = await grains.GetGrain<IDeviceFlowGrain>(flowId).StartAsync();
        if (!start.Succeeded)
        {
            return AdminResults.Error(StatusCodes.Status502BadGateway, $"GitHub device flow could not start: {start.Error}");
        }
        return AdminResults.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("flowId", flowId);
            w.WriteString("user_code", start.UserCode);
            w.WriteString("verification_uri", start.VerificationUri);
            w.WriteNumber("expires_in", start.ExpiresIn);
            w.WriteNumber("interval", start.Interval);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> DeviceFlowStatusAsync(string flowId, IGrainFactory grains)
    {
        var progress = await grains.GetGrain<IDeviceFlowGrain>(flowId).GetStatusAsync();
        if (progress.Status == DeviceFlowStatus.Unknown)
        {
            return AdminResults.NotFound($"device flow {flowId} not found");
        }
        return AdminResults.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("status", progress.Status switch
            {
                DeviceFlowStatus.Complete => "complete",
                DeviceFlowStatus.Expired => "expired",
                DeviceFlowStatus.Denied => "denied",
                _ => "pending",
            });
            if (progress.Account is { } account)
            {
                w.WritePropertyName("account");
                AdminJson.WriteAccount(w, account);
            }
            if (progress.Error is { } error)
            {
                w.WriteString("error", error);
            }
            w.WriteEndObject();
        });
    }

    private static IResult AccountNotFound(string login) => AdminResults.NotFound($"account {login} not found");
}
