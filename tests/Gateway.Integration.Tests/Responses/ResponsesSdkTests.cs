// The SDK marks its Responses client experimental (OPENAI001); it is still what Responses clients call.
#pragma warning disable OPENAI001
using System.ClientModel;
using System.Text;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;
using OpenAI.Responses;

namespace Gateway.Integration.Tests.Responses;

/// <summary>The official OpenAI .NET SDK's Responses client against <c>/v1/responses</c> (SPEC §11.2), as Codex-style clients use it.</summary>
public sealed class ResponsesSdkTests(StandaloneGatewayFixture fixture) : IClassFixture<StandaloneGatewayFixture>
{
    private ResponsesClient Client => new(
        new ApiKeyCredential("unused-in-open-mode"),
        new ResponsesClientOptions { Endpoint = new Uri(fixture.Gateway.BaseAddress + "/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

    private static long GenerationOf(string responseId) => long.Parse(responseId["resp_fake".Length..], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task NonStream_ReturnsTheUpstreamResponse()
    {
        var result = (await Client.CreateResponseAsync("gpt-5.4", "Say hello from the SDK")).Value;

        var n = GenerationOf(result.Id);
        Assert.Equal(FakeReply.Text("gpt-5.4", n), result.GetOutputText());
        Assert.Equal(ResponseStatus.Completed, result.Status);
        Assert.Equal((20, 10, 30, 4), (result.Usage.InputTokenCount, result.Usage.OutputTokenCount, result.Usage.TotalTokenCount, result.Usage.InputTokenDetails.CachedTokenCount));
        var sent = fixture.Upstream.RequestsTo("/responses").Last(r => r.BodyText.Contains("Say hello from the SDK", StringComparison.Ordinal));
        Assert.Equal("user", sent.Header("x-initiator"));
    }

    [Fact]
    public async Task Stream_AssemblesTheTextTheUpstreamSent_AndEndsWithTheCompletedResponse()
    {
        var text = new StringBuilder();
        ResponseResult? completed = null;
        var itemIds = new HashSet<string>();
        await foreach (var update in await Client.CreateResponseStreamingAsync("gpt-5.4", "Stream from the SDK"))
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    itemIds.Add(delta.ItemId);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        Assert.NotNull(completed);
        var n = GenerationOf(completed.Id);
        Assert.Equal(FakeReply.Text("gpt-5.4", n), text.ToString());
        Assert.Equal([FakeReply.MessageId(n)], itemIds);
        Assert.Equal(10, completed.Usage.OutputTokenCount);
        var sent = fixture.Upstream.RequestsTo("/responses").Last(r => r.BodyText.Contains("Stream from the SDK", StringComparison.Ordinal));
        Assert.Contains("\"stream\":true", sent.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolCall_RoundTrips_AndTheFollowUpIsAnAgentTurn()
    {
        var options = new CreateResponseOptions("gpt-5.4", [ResponseItem.CreateUserMessageItem("Read the README")])
        {
            Tools = { ResponseTool.CreateFunctionTool("read_file", BinaryData.FromString("""{"type":"object","properties":{"path":{"type":"string"}}}"""), false, "Reads a file") },
        };

        var first = (await Client.CreateResponseAsync(options)).Value;

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal("read_file", call.FunctionName);
        Assert.Equal("""{"path":"README.md"}""", call.FunctionArguments.ToString());

        options.InputItems.Add(call);
        options.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(call.CallId, "# Title"));
        await Client.CreateResponseAsync(options);
        var followUp = fixture.Upstream.RequestsTo("/responses").Last();
        Assert.Equal("agent", followUp.Header("x-initiator"));
        Assert.Contains(call.CallId, followUp.BodyText, StringComparison.Ordinal);
    }
}
