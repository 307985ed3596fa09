using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing.FakeUpstream;

/// <summary>
/// The GitHub side: the OAuth device flow (SPEC §2.2), <c>/user</c>, the Copilot token exchange (§2.3) and the quota
/// (§15.1). The dispatcher has already resolved the <c>authorization: token</c> header to a login for the last three.
/// </summary>
internal static class GitHubHandlers
{
    /// <summary>GitHub's answer to an unknown or revoked token.</summary>
    public const string BadCredentials =
        """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}""";

    /// <summary><c>POST /login/device/code</c>.</summary>
    public static Task DeviceCodeAsync(FakeExchange exchange)
    {
        var state = exchange.State;
        var deviceCode = state.NextDeviceCode();
        var writer = exchange.StartJson();
        writer.WriteStartObject();
        writer.WriteString("device_code", deviceCode);
        writer.WriteString("user_code", $"FAKE-{state.DeviceCodeCount:D4}");
        writer.WriteString("verification_uri", exchange.Server.BaseAddress + "/login/device");
        writer.WriteNumber("expires_in", state.DeviceFlowExpiresIn);
        writer.WriteNumber("interval", state.DeviceFlowInterval);
        writer.WriteEndObject();
        return exchange.EndJsonAsync();
    }

    /// <summary>
    /// <c>POST /login/oauth/access_token</c>: GitHub answers pending states with 200 and an <c>error</c> field, and
    /// <c>slow_down</c> with the new <c>interval</c> (RFC 8628 §3.5).
    /// </summary>
    public static Task AccessTokenAsync(FakeExchange exchange)
    {
        var state = exchange.State;
        var outcome = state.NextDeviceFlowOutcome(exchange.Fields.DeviceCode);
        var writer = exchange.StartJson();
        writer.WriteStartObject();
        if (outcome.Error is null)
        {
            var (token, _) = state.IssueGitHubToken(outcome);
            writer.WriteString("access_token", token);
            writer.WriteString("token_type", "bearer");
            writer.WriteString("scope", "read:user");
        }
        else
        {
            writer.WriteString("error", outcome.Error);
            writer.WriteString("error_description", Describe(outcome.Error));
            writer.WriteString("error_uri", "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow");
            if (outcome.Error == "slow_down")
            {
                writer.WriteNumber("interval", state.DeviceFlowInterval + 5);
            }
        }

        writer.WriteEndObject();
        return exchange.EndJsonAsync();
    }

    /// <summary><c>GET /user</c>.</summary>
    public static Task UserAsync(FakeExchange exchange)
    {
        var login = exchange.Login!;
        var writer = exchange.StartJson();
        writer.WriteStartObject();
        writer.WriteString("login", login);
        writer.WriteNumber("id", UserId(login));
        writer.WriteString("node_id", $"U_fake_{login}");
        writer.WriteString("type", "User");
        writer.WriteBoolean("site_admin", false);
        writer.WriteString("name", login);
        writer.WriteEndObject();
        return exchange.EndJsonAsync();
    }

    /// <summary><c>GET /copilot_internal/v2/token</c>.</summary>
    public static Task CopilotTokenAsync(FakeExchange exchange)
    {
        var state = exchange.State;
        var githubToken = exchange.GitHubToken!;
        if (state.CountTokenExchange(githubToken) is { } failure)
        {
            return exchange.WriteJsonAsync(
                failure == StatusCodes.Status401Unauthorized ? BadCredentials : $$"""{"message":"fake token exchange failure {{failure}}"}""",
                failure);
        }

        var issued = state.IssueCopilotToken(githubToken, exchange.Login!);
        var baseAddress = exchange.Server.BaseAddress;
        var writer = exchange.StartJson();
        writer.WriteStartObject();
        writer.WriteBoolean("chat_enabled", true);
        writer.WriteStartObject("endpoints");
        writer.WriteString("api", baseAddress);
        writer.WriteString("origin-tracker", baseAddress);
        writer.WriteString("proxy", baseAddress);
        writer.WriteString("telemetry", baseAddress + "/telemetry");
        writer.WriteEndObject();
        writer.WriteNumber("expires_at", issued.ExpiresAt.ToUnixTimeSeconds());
        writer.WriteBoolean("individual", true);
        writer.WriteNumber("refresh_in", state.CopilotTokenRefreshIn);
        writer.WriteString("sku", "plus_monthly_subscriber_quota");
        writer.WriteString("token", issued.Token);
        writer.WriteEndObject();
        return exchange.EndJsonAsync();
    }

    /// <summary><c>GET /copilot_internal/user</c>: every field SPEC §15.1 lists.</summary>
    public static Task QuotaAsync(FakeExchange exchange)
    {
        var state = exchange.State;
        if (state.QuotaFailureStatus is { } failure)
        {
            return exchange.WriteJsonAsync($$"""{"message":"fake quota failure {{failure}}"}""", failure);
        }

        var login = exchange.Login!;
        var baseAddress = exchange.Server.BaseAddress;
        var writer = exchange.StartJson();
        writer.WriteStartObject();
        writer.WriteString("login", login);
        writer.WriteString("access_type_sku", "plus_monthly_subscriber_quota");
        writer.WriteString("analytics_tracking_id", $"{UserId(login):x8}fake");
        writer.WriteString("assigned_date", "2025-01-15T10:00:00+00:00");
        writer.WriteBoolean("can_signup_for_limited", false);
        writer.WriteBoolean("chat_enabled", true);
        writer.WriteString("copilot_plan", state.CopilotPlan);
        writer.WriteStartArray("organization_login_list");
        writer.WriteEndArray();
        writer.WriteStartArray("organization_list");
        writer.WriteEndArray();
        writer.WriteString("quota_reset_date", state.QuotaResetDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteStartObject("endpoints");
        writer.WriteString("api", baseAddress);
        writer.WriteString("origin-tracker", baseAddress);
        writer.WriteString("proxy", baseAddress);
        writer.WriteString("telemetry", baseAddress + "/telemetry");
        writer.WriteEndObject();
        writer.WriteStartObject("quota_snapshots");
        WriteUnlimited(writer, "chat");
        WriteUnlimited(writer, "completions");
        var entitlement = state.PremiumEntitlement;
        var remaining = state.PremiumRemaining;
        writer.WriteStartObject("premium_interactions");
        writer.WriteNumber("entitlement", entitlement);
        writer.WriteNumber("overage_count", 0);
        writer.WriteBoolean("overage_permitted", false);
        writer.WriteNumber("percent_remaining", entitlement > 0 ? remaining * 100 / entitlement : 0);
        writer.WriteString("quota_id", "premium_interactions");
        writer.WriteNumber("quota_remaining", remaining);
        writer.WriteNumber("remaining", (long)Math.Floor(remaining));
        writer.WriteBoolean("unlimited", false);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        return exchange.EndJsonAsync();
    }

    private static void WriteUnlimited(Utf8JsonWriter writer, string quotaId)
    {
        writer.WriteStartObject(quotaId);
        writer.WriteNumber("entitlement", 0);
        writer.WriteNumber("overage_count", 0);
        writer.WriteBoolean("overage_permitted", false);
        writer.WriteNumber("percent_remaining", 100);
        writer.WriteString("quota_id", quotaId);
        writer.WriteNumber("quota_remaining", 0);
        writer.WriteNumber("remaining", 0);
        writer.WriteBoolean("unlimited", true);
        writer.WriteEndObject();
    }

    /// <summary>A stable positive id per login (FNV-1a), so <c>/user</c> answers the same id in every run.</summary>
    private static long UserId(string login)
    {
        var hash = 2166136261U;
        foreach (var c in login)
        {
            hash = (hash ^ c) * 16777619U;
        }

        return hash & 0x7FFF_FFFF;
    }

    private static string Describe(string error) => error switch
    {
        "authorization_pending" => "The authorization request is still pending.",
        "slow_down" => "Too many requests have been made in the same amount of time.",
        "expired_token" => "The device_code has expired.",
        "access_denied" => "The authorization request was denied.",
        _ => error,
    };
}
