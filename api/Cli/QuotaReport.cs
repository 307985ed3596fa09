using System.Globalization;
using System.Text.Json;

namespace Gateway.Api.Cli;

/// <summary>The <c>check-usage</c> lines: premium, chat and completions quota (SPEC §1.5, §15.1).</summary>
public static class QuotaReport
{
    public static IEnumerable<string> Lines(string quotaJson)
    {
        using var doc = JsonDocument.Parse(quotaJson);
        var root = doc.RootElement;
        if (root.TryGetProperty("login", out var login))
        {
            yield return $"Account: {login.GetString()} (plan {(root.TryGetProperty("copilot_plan", out var plan) ? plan.GetString() : "unknown")})";
        }
        if (!root.TryGetProperty("quota_snapshots", out var snapshots) || snapshots.ValueKind != JsonValueKind.Object)
        {
            yield return "No quota information.";
            yield break;
        }
        foreach (var (key, label) in new[] { ("premium_interactions", "Premium"), ("chat", "Chat"), ("completions", "Completions") })
        {
            if (!snapshots.TryGetProperty(key, out var s) || s.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            if (s.TryGetProperty("unlimited", out var unlimited) && unlimited.ValueKind == JsonValueKind.True)
            {
                yield return $"{label}: unlimited";
                continue;
            }
            var remaining = s.TryGetProperty("remaining", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : 0;
            var entitlement = s.TryGetProperty("entitlement", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : 0;
            var percent = s.TryGetProperty("percent_remaining", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : 0;
            yield return string.Create(CultureInfo.InvariantCulture, $"{label}: {entitlement - remaining:0}/{entitlement:0} used ({percent:0.#}% remaining)");
        }
        if (root.TryGetProperty("quota_reset_date", out var reset))
        {
            yield return $"Quota resets on {reset.GetString()}";
        }
    }
}
