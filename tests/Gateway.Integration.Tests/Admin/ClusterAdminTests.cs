using System.Net;
using Gateway.Integration.Tests.Cluster;
using Gateway.Testing.FakeUpstream;
using static Gateway.Integration.Tests.Admin.AdminClient;

namespace Gateway.Integration.Tests.Admin;

/// <summary>
/// One silo and two API front ends on Postgres: admin changes made through one front end reach the other within
/// seconds (SPEC §0, §1.2).
/// </summary>
public sealed class ClusterAdminTests
{
    private const string Admin = ClusterTestHost.AdminKey;

    [Fact]
    public async Task AdminChangesOnOneFrontEnd_ReachTheOtherWithinSeconds()
    {
        await using var cluster = await ClusterTestHost.StartAsync(silos: 1, fronts: 2);
        var (first, second) = (cluster.Fronts[0].Client, cluster.Fronts[1].Client);
        await JsonAsync(first, HttpMethod.Post, "/admin/accounts", Admin, $$"""{"githubToken":"{{FakeUpstreamState.DefaultGitHubToken}}"}""", HttpStatusCode.Created);

        // A key created through one front end works on both; revoked through the first, it fails on the second
        // within the key cache TTL (5 s by default).
        await JsonAsync(first, HttpMethod.Post, "/admin/tenants", Admin, """{"id":"team-a","name":"Team A"}""", HttpStatusCode.Created);
        var key = await JsonAsync(first, HttpMethod.Post, "/admin/tenants/team-a/keys", Admin, """{"name":"ci"}""", HttpStatusCode.Created);
        var secret = key.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(first, secret));
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(second, secret));
        await JsonAsync(first, HttpMethod.Post, $"/admin/keys/{key.GetProperty("id").GetString()}/revoke", Admin, null, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, await ChatAsync(first, secret));
        Assert.True(await EventuallyAsync(async () => await ChatAsync(second, secret) == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10)));

        // modelMappings posted on the first front end are stored in the settings grain and picked up by the second.
        var posted = await SendAsync(first, HttpMethod.Post, "/admin/config/model-mappings", Admin, """{"modelMappings":{"team-default":"gpt-4.1"}}""");
        Assert.Equal((HttpStatusCode.OK, """{"configPath":null,"modelMappings":{"team-default":"gpt-4.1"}}"""), posted);
        Assert.True(await EventuallyAsync(async () => await SendAsync(second, HttpMethod.Get, "/admin/config/model-mappings", Admin) == posted, TimeSpan.FromSeconds(10)));
        cluster.Upstream.ClearRecordings();
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(second, ClusterTestHost.ApiKey, model: "team-default"));
        using var sent = cluster.Upstream.RequestsTo("/chat/completions").Single().Json();
        Assert.Equal("gpt-4.1", sent.RootElement.GetProperty("model").GetString());
    }
}
