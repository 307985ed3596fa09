using System.Net;
using Gateway.Grains.Abstractions.Limits;
using Gateway.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static Gateway.Integration.Tests.Admin.AdminClient;

namespace Gateway.Integration.Tests.Cluster;

/// <summary>
/// "A database outage delays persistence only" (issue #4, DESIGN §2 step 6): with Postgres stopped, a tenant key
/// already in use keeps authenticating (past the front end's key cache TTL), limits keep being enforced by the
/// activated admission grain, requests keep being served, and every request of the outage reaches
/// <c>usage_events</c> exactly once after Postgres returns.
/// </summary>
public sealed class ClusterDatabaseOutageTests
{
    private const string Admin = ClusterTestHost.AdminKey;

    [Fact]
    public async Task PostgresStopped_AuthLimitsAndRequestsKeepWorking_UsageIsWrittenOnceItReturns()
    {
        await using var cluster = await ClusterTestHost.StartAsync(silos: 1, fronts: 1, ownPostgres: true);
        var client = cluster.Fronts[0].Client;
        await JsonAsync(client, HttpMethod.Post, "/admin/accounts", Admin, $$"""{"githubToken":"{{FakeUpstreamState.DefaultGitHubToken}}"}""", HttpStatusCode.Created);
        await JsonAsync(client, HttpMethod.Post, "/admin/tenants", Admin, """{"id":"team-db","name":"Team DB","limits":{"rpm":6}}""", HttpStatusCode.Created);
        var key = await JsonAsync(client, HttpMethod.Post, "/admin/tenants/team-db/keys", Admin, """{"name":"ci"}""", HttpStatusCode.Created);
        var secret = key.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(client, secret, text: "before outage"));

        await cluster.Postgres.StopAsync();
        // Longer than the front end's key cache TTL (5 s): the key is resolved again, by its activated grain.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var during = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            during.Add(await ChatAsync(client, secret, text: $"during outage {i}"));
        }
        // rpm 6, one used before the outage: five more pass, then the admission grain refuses.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], during);
        Assert.Equal(6, cluster.Upstream.RequestsTo("/chat/completions").Count(r => r.BodyText.Contains("outage")));

        await cluster.Postgres.StartAgainAsync();
        var grains = cluster.Fronts[0].Services.GetRequiredService<IGrainFactory>();
        Assert.Equal(6, (await grains.GetGrain<ITenantAdmissionGrain>("team-db").GetLimitsAsync()).Rpm);

        // 8 records of team-db: 1 before, 5 served and 2 refused during the outage; each exactly once.
        var counts = (0L, 0L, 0L);
        var written = await EventuallyAsync(async () =>
        {
            counts = await CountAsync(cluster.Postgres.ConnectionString);
            return counts.Item1 >= 8;
        }, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1));
        counts = await CountAsync(cluster.Postgres.ConnectionString);
        Assert.True(written, $"usage records after the outage: {counts}");
        Assert.Equal((8L, 6L, 2L), counts);
    }

    /// <summary>(rows, rows with status 200, rows with status 429) of tenant team-db; (0, 0, 0) while unreachable.</summary>
    private static async Task<(long, long, long)> CountAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*), count(*) FILTER (WHERE status = 200), count(*) FILTER (WHERE status = 429) FROM usage_events WHERE tenant_id = 'team-db'",
                connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }
        catch (NpgsqlException)
        {
            return (0, 0, 0);
        }
    }
}
