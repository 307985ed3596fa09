using Anthropic;
using Anthropic.Models.Messages;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Integration.Tests.Messages;

/// <summary>
/// The official Anthropic .NET SDK against <c>/v1/messages</c>, on each of the three upstream paths the catalogue
/// selects: native Copilot messages (claude-sonnet-4.5), Responses (gpt-5.4) and Chat Completions (gpt-4.1).
/// </summary>
public sealed class AnthropicSdkTests(StandaloneGatewayFixture fixture) : IClassFixture<StandaloneGatewayFixture>
{
    private AnthropicClient Client => new() { BaseUrl = fixture.Gateway.BaseAddress, ApiKey = "unused-in-open-mode", MaxRetries = 0 };

    [Theory]
    [InlineData("claude-sonnet-4.5", "/v1/messages")]
    [InlineData("gpt-5.4", "/responses")]
    [InlineData("gpt-4.1", "/chat/completions")]
    public async Task NonStream_ReturnsTheUpstreamText_OnEachPath(string model, string upstreamPath)
    {
        var prompt = "non-stream via " + upstreamPath;
        var message = await Client.Messages.Create(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 256,
            Messages = [new UserMessageParam { Content = prompt }],
        });
        var sent = Assert.Single(fixture.Upstream.RequestsTo(upstreamPath), r => r.BodyText.Contains(prompt));
        Assert.Equal("user", sent.Header("x-initiator"));
        var text = string.Concat(message.Content.Select(b => b.TryPickText(out var t) ? t.Text : ""));
        Assert.StartsWith("Hello from " + model, text);
        Assert.Equal(10, message.Usage.OutputTokens);
        Assert.True(message.Usage.InputTokens > 0);
    }

    [Theory]
    [InlineData("claude-sonnet-4.5", "/v1/messages")]
    [InlineData("gpt-5.4", "/responses")]
    [InlineData("gpt-4.1", "/chat/completions")]
    public async Task Stream_AssemblesTheUpstreamText_OnEachPath(string model, string upstreamPath)
    {
        var prompt = "streamed request via " + upstreamPath;
        var text = new System.Text.StringBuilder();
        var sawStart = false;
        var sawStop = false;
        long? outputTokens = null;
        await foreach (var streamEvent in Client.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 256,
            Messages = [new UserMessageParam { Content = prompt }],
        }))
        {
            sawStart |= streamEvent.TryPickStart(out _);
            sawStop |= streamEvent.TryPickStop(out _);
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta.Text);
            }
            if (streamEvent.TryPickDelta(out var messageDelta))
            {
                outputTokens = messageDelta.Usage.OutputTokens;
            }
        }
        Assert.Single(fixture.Upstream.RequestsTo(upstreamPath), r => r.BodyText.Contains(prompt));
        Assert.True(sawStart && sawStop, "message_start and message_stop must both arrive");
        Assert.StartsWith("Hello from " + model, text.ToString());
        Assert.Equal(10, outputTokens);
    }

    [Fact]
    public async Task CountTokens_ReturnsALocalEstimate()
    {
        var count = await Client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "gpt-4.1",
            Messages = [new UserMessageParam { Content = "How many tokens is this sentence?" }],
        });
        // 3 (message) + tokens of "user" and the text + 3 (priming), all under o200k_base: a small positive number.
        Assert.InRange(count.InputTokens, 8, 30);
    }
}
