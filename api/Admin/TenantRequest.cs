using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Grains.Abstractions.Tenants;

namespace Gateway.Api.Admin;

/// <summary>
/// Validates tenant bodies of <c>POST</c> and <c>PATCH /admin/tenants</c> (SPEC §16.1). Every error message names
/// the offending field. PATCH replaces only the fields present; inside <c>limits</c> and <c>budget</c>, only the
/// sub-fields present. A null limit means unlimited.
/// </summary>
public static partial class TenantRequest
{
    private static readonly string[] TopLevelFields = ["id", "name", "limits", "budget", "accountPool", "allowedProviders"];

    /// <summary>Tenant ids: <c>[a-z0-9][a-z0-9_-]{0,62}</c>.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    public static partial Regex IdPattern();

    /// <summary>Applies <paramref name="body"/> to <paramref name="current"/> (null when creating).</summary>
    /// <returns>The new settings, or null with <paramref name="error"/> set.</returns>
    public static TenantSettings? Apply(JsonElement body, TenantSettings? current, out string? id, out string? error)
    {
        id = null;
        error = null;
        var creating = current is null;
        var settings = current ?? TenantSettings.Named("");
        foreach (var property in body.EnumerateObject())
        {
            if (!TopLevelFields.Contains(property.Name, StringComparer.Ordinal))
            {
                error = $"{property.Name} is not a known field";
                return null;
            }
        }

        if (body.TryGetProperty("id", out var idValue))
        {
            if (!creating)
            {
                error = "id cannot be changed";
                return null;
            }
            if (idValue.ValueKind != JsonValueKind.String || !IdPattern().IsMatch(idValue.GetString()!))
            {
                error = "id must match [a-z0-9][a-z0-9_-]{0,62}";
                return null;
            }
            id = idValue.GetString();
        }

        if (body.TryGetProperty("name", out var name))
        {
            if (name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()) || name.GetString()!.Length > 200)
            {
                error = "name must be a non-empty string of at most 200 characters";
                return null;
            }
            settings = settings with { Name = name.GetString()!.Trim() };
        }
        else if (creating)
        {
            error = "name is required";
            return null;
        }

        if (body.TryGetProperty("limits", out var limits))
        {
            if (ApplyLimits(limits, settings.Limits, out error) is not { } newLimits)
            {
                return null;
            }
            settings = settings with { Limits = newLimits };
        }
        if (body.TryGetProperty("budget", out var budget))
        {
            if (ApplyBudget(budget, settings.Budget, out error) is not { } newBudget)
            {
                return null;
            }
            settings = settings with { Budget = newBudget };
        }
        if (body.TryGetProperty("accountPool", out var pool))
        {
            if (ReadStrings(pool, "accountPool", out error) is not { } logins)
            {
                return null;
            }
            settings = settings with { AccountPool = logins };
        }
        if (body.TryGetProperty("allowedProviders", out var providers))
        {
            if (ReadStrings(providers, "allowedProviders", out error) is not { } names)
            {
                return null;
            }
            settings = settings with { AllowedProviders = names };
        }
        return settings;
    }

    private static TenantLimits? ApplyLimits(JsonElement value, TenantLimits current, out string? error)
    {
        error = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return TenantLimits.None;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            error = "limits must be an object";
            return null;
        }
        var limits = current;
        foreach (var property in value.EnumerateObject())
        {
            var field = "limits." + property.Name;
            var v = property.Value;
            var isNull = v.ValueKind == JsonValueKind.Null;
            switch (property.Name)
            {
                case "rpm":
                case "concurrentStreams":
                    if (!isNull && !(v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i >= 0))
                    {
                        error = $"{field} must be a non-negative integer";
                        return null;
                    }
                    int? intValue = isNull ? null : v.GetInt32();
                    limits = property.Name == "rpm" ? limits with { Rpm = intValue } : limits with { ConcurrentStreams = intValue };
                    break;
                case "tpm":
                    if (!isNull && !(v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) && l >= 0))
                    {
                        error = $"{field} must be a non-negative integer";
                        return null;
                    }
                    limits = limits with { Tpm = isNull ? null : v.GetInt64() };
                    break;
                case "minIntervalSeconds":
                    if (!isNull && !(v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && d >= 0 && double.IsFinite(d)))
                    {
                        error = $"{field} must be a non-negative number";
                        return null;
                    }
                    limits = limits with { MinIntervalSeconds = isNull ? null : v.GetDouble() };
                    break;
                default:
                    error = $"{field} is not a known field";
                    return null;
            }
        }
        return limits;
    }

    private static TenantBudget? ApplyBudget(JsonElement value, TenantBudget current, out string? error)
    {
        error = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return TenantBudget.None;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            error = "budget must be an object";
            return null;
        }
        var budget = current;
        foreach (var property in value.EnumerateObject())
        {
            var v = property.Value;
            switch (property.Name)
            {
                case "monthly":
                    if (v.ValueKind == JsonValueKind.Null)
                    {
                        budget = budget with { Monthly = null };
                    }
                    // Spend is counted in nano-units in a 64-bit integer: a billion currency units is far above any budget.
                    else if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var m) && m >= 0 && m <= 1_000_000_000m)
                    {
                        budget = budget with { Monthly = m };
                    }
                    else
                    {
                        error = "budget.monthly must be a number from 0 to 1000000000";
                        return null;
                    }
                    break;
                case "currency":
                    if (v.ValueKind == JsonValueKind.Null)
                    {
                        budget = budget with { Currency = null };
                    }
                    else if (v.ValueKind == JsonValueKind.String && v.GetString() is { Length: 3 } code && code.All(char.IsAsciiLetter))
                    {
                        budget = budget with { Currency = code.ToUpperInvariant() };
                    }
                    else
                    {
                        error = "budget.currency must be a three-letter currency code";
                        return null;
                    }
                    break;
                default:
                    error = $"budget.{property.Name} is not a known field";
                    return null;
            }
        }
        return budget;
    }

    private static string[]? ReadStrings(JsonElement value, string field, out string? error)
    {
        error = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString())))
        {
            error = $"{field} must be an array of non-empty strings";
            return null;
        }
        return value.EnumerateArray().Select(e => e.GetString()!.Trim()).Distinct(StringComparer.Ordinal).ToArray();
    }
}
