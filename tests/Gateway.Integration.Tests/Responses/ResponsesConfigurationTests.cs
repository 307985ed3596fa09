using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Integration.Tests.Responses;

/// <summary>
/// The settings <c>/v1/responses</c> reads (SPEC §11.2, §16.2, §18), bound from configuration as a deployment sets
/// them: <c>useResponsesApiWebSearch</c>, <c>useFunctionApplyPatch</c>, <c>contextManagement.responses</c> and
/// <c>rateLimitSeconds</c>.
/// </summary>
public sealed class ResponsesConfigurationTests
{
    [Fact]
    public async Task ConfiguredFlags_ShapeTheUpstreamBody_AndAdmissionLimitsApply()
    {
        await using var upstream = await FakeUpstreamServer.StartAsync();
        await using var gateway = await GatewayTestHost.StartAsync(upstream, o =>
        {
            o["Gateway:useResponsesApiWebSearch"] = "false";
            o["Gateway:useFunctionApplyPatch"] = "false";
            o["Gateway:contextManagement:responses"] = "true";
            o["Gateway:rateLimitSeconds"] = "30";
        });
        const string body = """{"model":"gpt-5.4","tools":[{"type":"custom","name":"apply_patch"},{"type":"web_search_preview"}],"input":"configured"}""";

        using var first = await gateway.Client.PostAsync("v1/responses", new StringContent(body, Encoding.UTF8, "application/json"));
        using var second = await gateway.Client.PostAsync("v1/responses", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(
            """{"model":"gpt-5.4","tools":[{"type":"custom","name":"apply_patch"}],"input":"configured","context_management":[{"type":"compaction","compact_threshold":217600}]}""",
            Assert.Single(upstream.RequestsTo("/responses")).BodyText);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        var error = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("Rate limit exceeded", error.GetProperty("message").GetString());
    }
}
