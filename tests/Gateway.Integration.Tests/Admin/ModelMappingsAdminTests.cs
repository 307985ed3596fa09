using System.Net;
using System.Text.Json.Nodes;
using Gateway.Api.Hosting;
using static Gateway.Integration.Tests.Admin.AdminClient;

namespace Gateway.Integration.Tests.Admin;

/// <summary><c>/admin/config/model-mappings</c> on a standalone gateway (SPEC §13.3): persisted to config.json, applied at once.</summary>
public sealed class ModelMappingsAdminTests(AdminGatewayFixture fixture) : IClassFixture<AdminGatewayFixture>
{
    private const string Admin = AdminGatewayFixture.AdminKey;

    private HttpClient Client => fixture.Gateway.Client;

    private string ConfigPath => Path.Combine(fixture.Gateway.DataDir, StandaloneConfigFile.FileName);

    private string Shape(string mappings) => $$"""{"configPath":{{JsonValue.Create(ConfigPath).ToJsonString()}},"modelMappings":{{mappings}}}""";

    [Fact]
    public async Task PostedMappings_ArePersistedServedAndAppliedAtOnce()
    {
        Assert.Equal(
            (HttpStatusCode.OK, Shape("""{"codex-auto-review":"codex/codex-auto-review","gpt-reserve":"codex/gpt-reserve"}""")),
            await SendAsync(Client, HttpMethod.Get, "/admin/config/model-mappings", Admin));

        var before = JsonNode.Parse(await File.ReadAllTextAsync(ConfigPath))!.AsObject();

        var posted = await SendAsync(Client, HttpMethod.Post, "/admin/config/model-mappings", Admin, """{"modelMappings":{"team-default":"gpt-4.1"}}""");

        Assert.Equal((HttpStatusCode.OK, Shape("""{"team-default":"gpt-4.1"}""")), posted);
        Assert.Equal(posted, await SendAsync(Client, HttpMethod.Get, "/admin/config/model-mappings", Admin));
        var file = JsonNode.Parse(await File.ReadAllTextAsync(ConfigPath))!.AsObject();
        Assert.Equal("""{"team-default":"gpt-4.1"}""", file["modelMappings"]!.ToJsonString());
        // Only modelMappings changed; every other field of the file is as it was.
        before.Remove("modelMappings");
        file.Remove("modelMappings");
        Assert.Equal(before.ToJsonString(), file.ToJsonString());

        fixture.Upstream.ClearRecordings();
        Assert.Equal(HttpStatusCode.OK, await ChatAsync(Client, AdminGatewayFixture.ConfigKey, model: "team-default"));
        using var sent = fixture.Upstream.RequestsTo("/chat/completions").Single().Json();
        Assert.Equal("gpt-4.1", sent.RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("""{"modelMappings":["a"]}""", "modelMappings must be an object")]
    [InlineData("""{"modelMappings":null}""", "modelMappings must be an object")]
    [InlineData("""{}""", "modelMappings must be an object")]
    [InlineData("""{"modelMappings":{"a":1}}""", "modelMappings.a must be a string")]
    [InlineData("""[]""", "request body must be a JSON object")]
    public async Task NonObjectMappings_Get400(string body, string message)
    {
        Assert.Equal(
            (HttpStatusCode.BadRequest, $$$"""{"error":{"message":"{{{message}}}","type":"invalid_request_error","param":null,"code":null}}"""),
            await SendAsync(Client, HttpMethod.Post, "/admin/config/model-mappings", Admin, body));
    }
}
