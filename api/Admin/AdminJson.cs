using System.Text.Json;
using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.Abstractions.Tenants;

namespace Gateway.Api.Admin;

/// <summary>The JSON shapes of the admin API (SPEC §16.1).</summary>
internal static class AdminJson
{
    public static void WriteTenant(Utf8JsonWriter writer, TenantInfo tenant) => WriteTenant(writer, tenant, null);

    /// <param name="spend">With it, <c>spend {month, currency, spent, reserved, remaining}</c> in currency units.</param>
    public static void WriteTenant(Utf8JsonWriter writer, TenantInfo tenant, Grains.Abstractions.Limits.BudgetSpend? spend)
    {
        var s = tenant.Settings;
        writer.WriteStartObject();
        writer.WriteString("id", tenant.Id);
        writer.WriteString("name", s.Name);
        writer.WriteStartObject("limits");
        WriteNumber(writer, "rpm", s.Limits.Rpm);
        WriteNumber(writer, "tpm", s.Limits.Tpm);
        WriteNumber(writer, "concurrentStreams", s.Limits.ConcurrentStreams);
        WriteNumber(writer, "minIntervalSeconds", s.Limits.MinIntervalSeconds);
        writer.WriteEndObject();
        writer.WriteStartObject("budget");
        if (s.Budget.Monthly is { } monthly)
        {
            writer.WriteNumber("monthly", monthly);
        }
        else
        {
            writer.WriteNull("monthly");
        }
        WriteString(writer, "currency", s.Budget.Currency);
        writer.WriteEndObject();
        WriteStrings(writer, "accountPool", s.AccountPool);
        WriteStrings(writer, "allowedProviders", s.AllowedProviders);
        writer.WriteString("createdAt", tenant.CreatedAt);
        writer.WriteString("updatedAt", tenant.UpdatedAt);
        WriteStrings(writer, "keyIds", tenant.KeyIds);
        if (spend is not null)
        {
            writer.WriteStartObject("spend");
            writer.WriteString("month", spend.Month);
            writer.WriteString("currency", spend.Currency);
            writer.WriteNumber("spent", Usage.UsageCost.ToAmount(spend.SpentNanos));
            writer.WriteNumber("reserved", Usage.UsageCost.ToAmount(spend.ReservedNanos));
            if (spend.BudgetNanos is { } budget)
            {
                writer.WriteNumber("remaining", Usage.UsageCost.ToAmount(Math.Max(0, budget - spend.SpentNanos - spend.ReservedNanos)));
            }
            else
            {
                writer.WriteNull("remaining");
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    /// <summary>A key in listings: never the secret or its hash.</summary>
    public static void WriteKey(Utf8JsonWriter writer, ApiKeyInfo key)
    {
        writer.WriteStartObject();
        writer.WriteString("id", key.Id);
        writer.WriteString("tenantId", key.TenantId);
        writer.WriteString("name", key.Name);
        writer.WriteString("prefix", key.Prefix);
        writer.WriteString("createdAt", key.CreatedAt);
        WriteTime(writer, "expiresAt", key.ExpiresAt);
        WriteTime(writer, "revokedAt", key.RevokedAt);
        writer.WriteEndObject();
    }

    /// <summary>A new or rotated key: the one place the secret is shown.</summary>
    public static void WriteNewKey(Utf8JsonWriter writer, ApiKeyInfo key, string secret)
    {
        writer.WriteStartObject();
        writer.WriteString("id", key.Id);
        writer.WriteString("name", key.Name);
        writer.WriteString("key", secret);
        writer.WriteString("createdAt", key.CreatedAt);
        WriteTime(writer, "expiresAt", key.ExpiresAt);
        writer.WriteEndObject();
    }

    public static void WriteAccount(Utf8JsonWriter writer, AccountSummary account)
    {
        writer.WriteStartObject();
        writer.WriteString("login", account.Login);
        WriteString(writer, "plan", account.Plan);
        writer.WriteString("copilotApiUrl", account.CopilotApiUrl);
        WriteTime(writer, "tokenExpiresAt", account.TokenExpiresAt);
        WriteTime(writer, "cooldownUntil", account.CooldownUntil);
        writer.WriteBoolean("enabled", account.Enabled);
        writer.WriteEndObject();
    }

    public static void WriteStringMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            writer.WriteString(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
