using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Api.Auth;
using Gateway.Grains.Abstractions.Tenants;

namespace Gateway.Api.Admin;

/// <summary>Tenants and their keys (SPEC §16.1).</summary>
internal static class TenantAdminEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapPost("/tenants", CreateTenantAsync);
        admin.MapGet("/tenants", ListTenantsAsync);
        admin.MapGet("/tenants/{id}", GetTenantAsync);
        admin.MapPatch("/tenants/{id}", UpdateTenantAsync);
        admin.MapDelete("/tenants/{id}", DeleteTenantAsync);
        admin.MapPost("/tenants/{id}/keys", CreateKeyAsync);
        admin.MapGet("/tenants/{id}/keys", ListKeysAsync);
        admin.MapPost("/keys/{id}/revoke", RevokeKeyAsync);
        admin.MapPost("/keys/{id}/rotate", RotateKeyAsync);
    }

    private static async Task<IResult> CreateTenantAsync(HttpRequest request, IGrainFactory grains)
    {
        var (document, error) = await AdminRequestBody.ReadObjectAsync(request, allowEmpty: false);
        using (document)
        {
            if (document is null)
            {
                return AdminResults.BadRequest(error!);
            }
            if (TenantRequest.Apply(document.RootElement, null, out var id, out error) is not { } settings)
            {
                return AdminResults.BadRequest(error!);
            }
            id ??= "t_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            var result = await grains.GetGrain<ITenantGrain>(id).CreateAsync(settings);
            return result.Outcome == TenantOutcome.Conflict
                ? AdminResults.Error(StatusCodes.Status409Conflict, $"tenant {id} already exists")
                : AdminResults.Json(StatusCodes.Status201Created, w => AdminJson.WriteTenant(w, result.Tenant!));
        }
    }

    private static async Task<IResult> ListTenantsAsync(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.DefaultKey).ListTenantsAsync();
        var tenants = await Task.WhenAll(ids.Select(id => grains.GetGrain<ITenantGrain>(id).GetAsync()));
        return AdminResults.OkArray(tenants, AdminJson.WriteTenant);
    }

    /// <summary>One tenant, with this month's spend against its budget (one more grain call; not in listings).</summary>
    private static async Task<IResult> GetTenantAsync(string id, IGrainFactory grains)
    {
        if (!TenantRequest.IdPattern().IsMatch(id) || await grains.GetGrain<ITenantGrain>(id).GetAsync() is not { } tenant)
        {
            return TenantNotFound(id);
        }
        var spend = await grains.GetGrain<Grains.Abstractions.Limits.ITenantAdmissionGrain>(id).GetSpendAsync();
        return AdminResults.Ok(w => AdminJson.WriteTenant(w, tenant, spend));
    }

    private static async Task<IResult> UpdateTenantAsync(string id, HttpRequest request, IGrainFactory grains)
    {
        if (!TenantRequest.IdPattern().IsMatch(id) || await grains.GetGrain<ITenantGrain>(id).GetAsync() is not { } current)
        {
            return TenantNotFound(id);
        }
        var (document, error) = await AdminRequestBody.ReadObjectAsync(request, allowEmpty: false);
        using (document)
        {
            if (document is null)
            {
                return AdminResults.BadRequest(error!);
            }
            if (TenantRequest.Apply(document.RootElement, current.Settings, out _, out error) is not { } settings)
            {
                return AdminResults.BadRequest(error!);
            }
            var result = await grains.GetGrain<ITenantGrain>(id).UpdateAsync(settings);
            return result.Outcome == TenantOutcome.Ok
                ? AdminResults.Ok(w => AdminJson.WriteTenant(w, result.Tenant!))
                : TenantNotFound(id);
        }
    }

    private static async Task<IResult> DeleteTenantAsync(string id, IGrainFactory grains, ApiKeyCache cache)
    {
        if (!TenantRequest.IdPattern().IsMatch(id))
        {
            return TenantNotFound(id);
        }
        var result = await grains.GetGrain<ITenantGrain>(id).DeleteAsync();
        cache.Invalidate(result.RevokedKeyHashes);
        return result.Outcome switch
        {
            TenantOutcome.Ok => Results.NoContent(),
            TenantOutcome.Refused => AdminResults.BadRequest($"tenant {id} cannot be deleted"),
            _ => TenantNotFound(id),
        };
    }

    private static async Task<IResult> CreateKeyAsync(string id, HttpRequest request, IGrainFactory grains, TimeProvider time, ApiKeyCache cache)
    {
        if (!TenantRequest.IdPattern().IsMatch(id))
        {
            return TenantNotFound(id);
        }
        var (document, error) = await AdminRequestBody.ReadObjectAsync(request, allowEmpty: true);
        using (document)
        {
            if (document is null)
            {
                return AdminResults.BadRequest(error!);
            }
            var body = document.RootElement;
            foreach (var property in body.EnumerateObject())
            {
                if (property.Name is not ("name" or "expiresAt"))
                {
                    return AdminResults.BadRequest($"{property.Name} is not a known field");
                }
            }
            var name = "";
            if (body.TryGetProperty("name", out var nameValue) && nameValue.ValueKind != JsonValueKind.Null)
            {
                if (nameValue.ValueKind != JsonValueKind.String || nameValue.GetString()!.Length > 200)
                {
                    return AdminResults.BadRequest("name must be a string of at most 200 characters");
                }
                name = nameValue.GetString()!.Trim();
            }
            DateTimeOffset? expiresAt = null;
            if (body.TryGetProperty("expiresAt", out var expiresValue) && expiresValue.ValueKind != JsonValueKind.Null)
            {
                if (expiresValue.ValueKind != JsonValueKind.String
                    || !DateTimeOffset.TryParse(expiresValue.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    || parsed <= time.GetUtcNow())
                {
                    return AdminResults.BadRequest("expiresAt must be an ISO 8601 date-time in the future");
                }
                expiresAt = parsed.ToUniversalTime();
            }
            var secret = ApiKeySecret.Create();
            var result = await grains.GetGrain<ITenantGrain>(id).CreateKeyAsync(new NewApiKey(name, secret.Hash, secret.Prefix, expiresAt));
            if (result.Outcome != ApiKeyOutcome.Ok)
            {
                return TenantNotFound(id);
            }
            // A negative cache entry for this hash is practically impossible (fresh random secret), but cheap to rule out.
            cache.Invalidate(result.AffectedHashes);
            return AdminResults.Json(StatusCodes.Status201Created, w => AdminJson.WriteNewKey(w, result.Key!, secret.Secret));
        }
    }

    private static async Task<IResult> ListKeysAsync(string id, IGrainFactory grains)
    {
        if (!TenantRequest.IdPattern().IsMatch(id) || await grains.GetGrain<ITenantGrain>(id).ListKeysAsync() is not { } keys)
        {
            return TenantNotFound(id);
        }
        return AdminResults.Ok(w =>
        {
            w.WriteStartArray();
            foreach (var key in keys)
            {
                AdminJson.WriteKey(w, key);
            }
            w.WriteEndArray();
        });
    }

    private static async Task<IResult> RevokeKeyAsync(string id, IGrainFactory grains, ApiKeyCache cache)
    {
        if (await FindKeyTenantAsync(grains, id) is not { } tenant)
        {
            return KeyNotFound(id);
        }
        var result = await tenant.RevokeKeyAsync(id);
        if (result.Outcome != ApiKeyOutcome.Ok)
        {
            return KeyNotFound(id);
        }
        cache.Invalidate(result.AffectedHashes);
        return AdminResults.Ok(w => AdminJson.WriteKey(w, result.Key!));
    }

    private static async Task<IResult> RotateKeyAsync(string id, HttpRequest request, IGrainFactory grains, ApiKeyCache cache)
    {
        var (document, error) = await AdminRequestBody.ReadObjectAsync(request, allowEmpty: true);
        using (document)
        {
            if (document is null)
            {
                return AdminResults.BadRequest(error!);
            }
            var grace = TimeSpan.Zero;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name != "graceSeconds")
                {
                    return AdminResults.BadRequest($"{property.Name} is not a known field");
                }
                if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var seconds) || seconds < 0)
                    {
                        return AdminResults.BadRequest("graceSeconds must be a non-negative integer");
                    }
                    grace = TimeSpan.FromSeconds(seconds);
                }
            }
            if (await FindKeyTenantAsync(grains, id) is not { } tenant)
            {
                return KeyNotFound(id);
            }
            var secret = ApiKeySecret.Create();
            var result = await tenant.RotateKeyAsync(id, new NewApiKey("", secret.Hash, secret.Prefix, null), grace);
            switch (result.Outcome)
            {
                case ApiKeyOutcome.Ok:
                    cache.Invalidate(result.AffectedHashes);
                    return AdminResults.Ok(w => AdminJson.WriteNewKey(w, result.Key!, secret.Secret));
                case ApiKeyOutcome.Revoked:
                    return AdminResults.Error(StatusCodes.Status409Conflict, $"key {id} is revoked");
                default:
                    return KeyNotFound(id);
            }
        }
    }

    private static async Task<ITenantGrain?> FindKeyTenantAsync(IGrainFactory grains, string keyId)
    {
        var tenantId = await grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.DefaultKey).FindKeyAsync(keyId);
        return tenantId is null ? null : grains.GetGrain<ITenantGrain>(tenantId);
    }

    private static IResult TenantNotFound(string id) => AdminResults.NotFound($"tenant {id} not found");

    private static IResult KeyNotFound(string id) => AdminResults.NotFound($"key {id} not found");
}
