using System.Net;
using System.Text.Json;
using Gateway.Api.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Integration.Tests.Admin.AdminClient;

namespace Gateway.Integration.Tests.Admin;

/// <summary>Tenants and keys through the admin API of a real standalone gateway (SPEC §1.2, §16.1).</summary>
public sealed class TenantAdminTests(AdminGatewayFixture fixture) : IClassFixture<AdminGatewayFixture>
{
    private const string Admin = AdminGatewayFixture.AdminKey;
    private const string Unauthorized = """{"error":{"message":"Unauthorized. Provide Authorization: Bearer <key> or x-api-key.","type":"unauthorized"}}""";

    private HttpClient Client => fixture.Gateway.Client;

    private static string NewId() => "t-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<string> CreateTenantAsync(string? id = null)
    {
        id ??= NewId();
        await JsonAsync(Client, HttpMethod.Post, "/admin/tenants", Admin, $$"""{"id":"{{id}}","name":"Tenant {{id}}"}""", HttpStatusCode.Created);
        return id;
    }

    private async Task<(string KeyId, string Secret)> CreateKeyAsync(string tenantId, string body = """{"name":"ci"}""")
    {
        var key = await JsonAsync(Client, HttpMethod.Post, $"/admin/tenants/{tenantId}/keys", Admin, body, HttpStatusCode.Created);
        return (key.GetProperty("id").GetString()!, key.GetProperty("key").GetString()!);
    }

    private static string ErrorBody(string message)
        => $$$"""{"error":{"message":"{{{message}}}","type":"invalid_request_error","param":null,"code":null}}""";

    [Fact]
    public async Task AdminRoutes_AcceptOnlyTheAdminKey()
    {
        var (_, tenantSecret) = await CreateKeyAsync(await CreateTenantAsync());

        foreach (var key in new[] { AdminGatewayFixture.ConfigKey, tenantSecret, "wrong" })
        {
            var (status, body) = await SendAsync(Client, HttpMethod.Get, "/admin/tenants", key);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal(Unauthorized, body);
        }
        using var anonymous = await Client.GetAsync("admin/tenants");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer realm=\"gateway-cluster\"", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Client, HttpMethod.Get, "/admin/tenants", Admin)).Status);
    }

    [Fact]
    public async Task TenantCrud_RoundTripsTheWholeShape()
    {
        var id = NewId();
        var created = await JsonAsync(Client, HttpMethod.Post, "/admin/tenants", Admin,
            $$"""{"id":"{{id}}","name":"Acme","limits":{"rpm":60,"minIntervalSeconds":1.5},"budget":{"monthly":100,"currency":"eur"},"accountPool":["octocat"],"allowedProviders":["codex"]}""",
            HttpStatusCode.Created);
        Assert.Equal(
            $$"""{"id":"{{id}}","name":"Acme","limits":{"rpm":60,"tpm":null,"concurrentStreams":null,"minIntervalSeconds":1.5},"budget":{"monthly":100,"currency":"EUR"},"accountPool":["octocat"],"allowedProviders":["codex"],"keyIds":[]}""",
            Without(created, "createdAt", "updatedAt"));

        var patched = await JsonAsync(Client, HttpMethod.Patch, $"/admin/tenants/{id}", Admin, """{"name":"Acme Ltd","limits":{"tpm":5000,"rpm":null}}""", HttpStatusCode.OK);
        Assert.Equal(
            $$"""{"id":"{{id}}","name":"Acme Ltd","limits":{"rpm":null,"tpm":5000,"concurrentStreams":null,"minIntervalSeconds":1.5},"budget":{"monthly":100,"currency":"EUR"},"accountPool":["octocat"],"allowedProviders":["codex"],"keyIds":[]}""",
            Without(patched, "createdAt", "updatedAt"));
        Assert.Equal(created.GetProperty("createdAt").GetString(), patched.GetProperty("createdAt").GetString());

        // One tenant also shows this month's spend against its budget; listings do not.
        var fetched = await JsonAsync(Client, HttpMethod.Get, $"/admin/tenants/{id}", Admin, null, HttpStatusCode.OK);
        Assert.Equal(Without(patched), Without(fetched, "spend"));
        var month = DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($$"""{"month":"{{month}}","currency":"EUR","spent":0,"reserved":0,"remaining":100}""", fetched.GetProperty("spend").GetRawText());
        var listed = await JsonAsync(Client, HttpMethod.Get, "/admin/tenants", Admin, null, HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), t => t.GetRawText() == patched.GetRawText());
        Assert.Contains(listed.EnumerateArray(), t => t.GetProperty("id").GetString() == "default");

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(Client, HttpMethod.Delete, $"/admin/tenants/{id}", Admin)).Status);
        Assert.Equal((HttpStatusCode.NotFound, ErrorBody($"tenant {id} not found")), await SendAsync(Client, HttpMethod.Get, $"/admin/tenants/{id}", Admin));
        var after = await JsonAsync(Client, HttpMethod.Get, "/admin/tenants", Admin, null, HttpStatusCode.OK);
        Assert.DoesNotContain(after.EnumerateArray(), t => t.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task GeneratedIdsAndConflicts_FollowTheIdRules()
    {
        var generated = await JsonAsync(Client, HttpMethod.Post, "/admin/tenants", Admin, """{"name":"No id"}""", HttpStatusCode.Created);
        Assert.Matches("^t_[0-9a-f]{12}$", generated.GetProperty("id").GetString());

        var id = await CreateTenantAsync();
        var (status, body) = await SendAsync(Client, HttpMethod.Post, "/admin/tenants", Admin, $$"""{"id":"{{id}}","name":"Again"}""");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($$$"""{"error":{"message":"tenant {{{id}}} already exists","type":"error","param":null,"code":null}}""", body);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(Client, HttpMethod.Post, "/admin/tenants", Admin, """{"id":"default","name":"D"}""")).Status);
        Assert.Equal((HttpStatusCode.BadRequest, ErrorBody("tenant default cannot be deleted")), await SendAsync(Client, HttpMethod.Delete, "/admin/tenants/default", Admin));
    }

    [Theory]
    [InlineData("POST", "/admin/tenants", "[1]", "request body must be a JSON object")]
    [InlineData("POST", "/admin/tenants", "not json", "request body must be a JSON object")]
    [InlineData("POST", "/admin/tenants", """{"limits":{}}""", "name is required")]
    [InlineData("POST", "/admin/tenants", """{"name":""}""", "name must be a non-empty string of at most 200 characters")]
    [InlineData("POST", "/admin/tenants", """{"id":"Bad Id","name":"x"}""", "id must match [a-z0-9][a-z0-9_-]{0,62}")]
    [InlineData("POST", "/admin/tenants", """{"name":"x","limits":{"rpm":-1}}""", "limits.rpm must be a non-negative integer")]
    [InlineData("POST", "/admin/tenants", """{"name":"x","limits":{"tpm":1.5}}""", "limits.tpm must be a non-negative integer")]
    [InlineData("POST", "/admin/tenants", """{"name":"x","limits":{"concurrentStreams":"2"}}""", "limits.concurrentStreams must be a non-negative integer")]
    [InlineData("POST", "/admin/tenants", """{"name":"x","limits":{"minIntervalSeconds":-0.5}}""", "limits.minIntervalSeconds must be a non-negative number")]
    [InlineData("POST", "/admin/tenants", """{"name":"x","limits":{"rps":1}}""", "limits.rps is not a known field")]
    [InlineData("POST", "/admin/tenants", """{"name":"x","limits":5}""", "limits must be an object")]
    [InlineData("POST", "/admin/tenants", """{"name":"x","budget":{"monthly":-3}}""", "budget.monthly must be a number from 0 to 1000000000")]
    [InlineData("POST", "/admin/tenants", """{"name":"x","budget":{"currency":"euro"}}""", "budget.currency must be a three-letter currency code")]
    [InlineData("POST", "/admin/tenants", """{"name":"x","accountPool":"octocat"}""", "accountPool must be an array of non-empty strings")]
    [InlineData("POST", "/admin/tenants", """{"name":"x","allowedProviders":[1]}""", "allowedProviders must be an array of non-empty strings")]
    [InlineData("POST", "/admin/tenants", """{"name":"x","color":"red"}""", "color is not a known field")]
    [InlineData("PATCH", "/admin/tenants/default", """{"id":"other"}""", "id cannot be changed")]
    [InlineData("POST", "/admin/tenants/default/keys", """{"expiresAt":"yesterday"}""", "expiresAt must be an ISO 8601 date-time in the future")]
    [InlineData("POST", "/admin/tenants/default/keys", """{"expiresAt":"2001-01-01T00:00:00Z"}""", "expiresAt must be an ISO 8601 date-time in the future")]
    [InlineData("POST", "/admin/tenants/default/keys", """{"name":7}""", "name must be a string of at most 200 characters")]
    [InlineData("POST", "/admin/keys/key_0000000000000000/rotate", """{"graceSeconds":-1}""", "graceSeconds must be a non-negative integer")]
    public async Task InvalidBodies_Get400NamingTheField(string method, string path, string body, string message)
    {
        Assert.Equal((HttpStatusCode.BadRequest, ErrorBody(message)), await SendAsync(Client, new HttpMethod(method), path, Admin, body));
    }

    [Theory]
    [InlineData("GET", "/admin/tenants/nope-123", "tenant nope-123 not found")]
    [InlineData("PATCH", "/admin/tenants/nope-123", "tenant nope-123 not found")]
    [InlineData("DELETE", "/admin/tenants/nope-123", "tenant nope-123 not found")]
    [InlineData("GET", "/admin/tenants/nope-123/keys", "tenant nope-123 not found")]
    [InlineData("POST", "/admin/tenants/nope-123/keys", "tenant nope-123 not found")]
    [InlineData("POST", "/admin/keys/key_0000000000000000/revoke", "key key_0000000000000000 not found")]
    [InlineData("POST", "/admin/keys/key_0000000000000000/rotate", "key key_0000000000000000 not found")]
    public async Task UnknownIds_Get404(string method, string path, string message)
    {
        Assert.Equal((HttpStatusCode.NotFound, ErrorBody(message)), await SendAsync(Client, new HttpMethod(method), path, Admin, "{}"));
    }

    [Fact]
    public async Task KeyLifecycle_CreateUseListRevoke()
    {
        var tenant = await CreateTenantAsync();
        var created = await JsonAsync(Client, HttpMethod.Post, $"/admin/tenants/{tenant}/keys", Admin, """{"name":"laptop"}""", HttpStatusCode.Created);
        var keyId = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("key").GetString()!;
        Assert.Matches("^key_[0-9a-f]{16}$", keyId);
        Assert.Matches("^gk_[A-Za-z0-9_-]{43}$", secret);
        Assert.Equal($$"""{"id":"{{keyId}}","name":"laptop","key":"{{secret}}","expiresAt":null}""", Without(created, "createdAt"));
        var createdAt = created.GetProperty("createdAt").GetString();

        Assert.Equal(HttpStatusCode.OK, await ChatAsync(Client, secret));

        // Listings never show the secret or its hash.
        var (_, listed) = await SendAsync(Client, HttpMethod.Get, $"/admin/tenants/{tenant}/keys", Admin);
        Assert.Equal($$"""[{"id":"{{keyId}}","tenantId":"{{tenant}}","name":"laptop","prefix":"{{secret[..10]}}","createdAt":"{{createdAt}}","expiresAt":null,"revokedAt":null}]""", listed);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Client, HttpMethod.Get, $"/admin/tenants/{tenant}", Admin)).Status);

        var revoked = await JsonAsync(Client, HttpMethod.Post, $"/admin/keys/{keyId}/revoke", Admin, null, HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Null, revoked.GetProperty("revokedAt").ValueKind);
        Assert.True(await EventuallyAsync(async () => await ChatAsync(Client, secret) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10)));
        var (status, body) = await SendAsync(Client, HttpMethod.Post, $"/admin/keys/{keyId}/rotate", Admin);
        Assert.Equal((HttpStatusCode.Conflict, $$$"""{"error":{"message":"key {{{keyId}}} is revoked","type":"error","param":null,"code":null}}"""), (status, body));
    }

    [Fact]
    public async Task RotateWithoutGrace_OldSecretStopsAndNewOneWorks()
    {
        var tenant = await CreateTenantAsync();
        var (keyId, oldSecret) = await CreateKeyAsync(tenant);
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(Client, oldSecret));

        var rotated = await JsonAsync(Client, HttpMethod.Post, $"/admin/keys/{keyId}/rotate", Admin, null, HttpStatusCode.OK);

        var newSecret = rotated.GetProperty("key").GetString()!;
        Assert.Equal(keyId, rotated.GetProperty("id").GetString());
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, await ChatAsync(Client, oldSecret));
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(Client, newSecret));
        var (_, listed) = await SendAsync(Client, HttpMethod.Get, $"/admin/tenants/{tenant}/keys", Admin);
        Assert.Contains($"\"prefix\":\"{newSecret[..10]}\"", listed);
    }

    [Fact]
    public async Task RotateWithGrace_OldSecretWorksUntilTheWindowEnds()
    {
        var (keyId, oldSecret) = await CreateKeyAsync(await CreateTenantAsync());

        var rotated = await JsonAsync(Client, HttpMethod.Post, $"/admin/keys/{keyId}/rotate", Admin, """{"graceSeconds":3}""", HttpStatusCode.OK);

        var newSecret = rotated.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(Client, oldSecret));
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(Client, newSecret));
        Assert.True(await EventuallyAsync(async () => await ChatAsync(Client, oldSecret) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(Client, newSecret));
    }

    [Fact]
    public async Task ExpiringKey_StopsWorkingAtItsExpiry()
    {
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var (_, secret) = await CreateKeyAsync(await CreateTenantAsync(), $$"""{"name":"short","expiresAt":"{{expiresAt:O}}"}""");

        Assert.Equal(HttpStatusCode.OK, await ChatAsync(Client, secret));
        Assert.True(await EventuallyAsync(async () => await ChatAsync(Client, secret) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10)));
        Assert.True(DateTimeOffset.UtcNow >= expiresAt);
    }

    [Fact]
    public async Task DeletedTenant_KeysStopWorking()
    {
        var tenant = await CreateTenantAsync();
        var (_, secret) = await CreateKeyAsync(tenant);
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(Client, secret));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(Client, HttpMethod.Delete, $"/admin/tenants/{tenant}", Admin)).Status);

        Assert.Equal(HttpStatusCode.Unauthorized, await ChatAsync(Client, secret));
    }

    [Fact]
    public async Task KeysIdentifyTheirOwnTenant()
    {
        var tenantA = await CreateTenantAsync();
        var tenantB = await CreateTenantAsync();
        var (keyA, secretA) = await CreateKeyAsync(tenantA);
        var (keyB, secretB) = await CreateKeyAsync(tenantB);
        var auth = fixture.Gateway.Services.GetRequiredService<ApiKeyAuthenticator>();

        Assert.Equal(new CallerIdentity(tenantA, keyA), await auth.AuthenticateAsync(Request(secretA)));
        Assert.Equal(new CallerIdentity(tenantB, keyB), await auth.AuthenticateAsync(Request(secretB)));
        Assert.Equal("default", (await auth.AuthenticateAsync(Request(AdminGatewayFixture.ConfigKey)))!.TenantId);
        Assert.Null(await auth.AuthenticateAsync(Request("gk_unknown")));
    }

    [Fact]
    public async Task ConfiguredKey_StillWorksAlongsideTenantKeys()
    {
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(Client, AdminGatewayFixture.ConfigKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await ChatAsync(Client, "not-a-key"));
    }

    private static HttpRequest Request(string key)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["x-api-key"] = key;
        return context.Request;
    }
}
