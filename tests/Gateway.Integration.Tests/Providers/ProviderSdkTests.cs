using Anthropic;
using Anthropic.Models.Messages;

namespace Gateway.Integration.Tests.Providers;

/// <summary>The official Anthropic .NET SDK on a provider alias and on a <c>/&lt;name&gt;</c> base URL (SPEC §13.1).</summary>
public sealed class ProviderSdkTests(ProvidersFixture fixture) : IClassFixture<ProvidersFixture>
{
    [Fact]
    public async Task AnthropicSdk_OnAnOpenAICompatibleAlias_GetsTheTranslatedMessage()
    {
        var client = new AnthropicClient { BaseUrl = fixture.Gateway.BaseAddress, ApiKey = ProvidersFixture.Key, MaxRetries = 0 };
        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = "oac/sdk-model",
            MaxTokens = 64,
            Messages = [new UserMessageParam { Content = "sdk via alias" }],
        });
        var text = string.Concat(message.Content.Select(b => b.TryPickText(out var t) ? t.Text : ""));
        Assert.StartsWith("Hello from sdk-model", text);
        Assert.Equal(10, message.Usage.OutputTokens);
        var sent = Assert.Single(fixture.Upstream.RequestsTo("/v1/chat/completions"), r => r.BodyText.Contains("sdk via alias"));
        Assert.Equal("Bearer sk-oac", sent.Header("authorization"));
    }

    [Fact]
    public async Task AnthropicSdk_StreamingOnTheProviderBaseUrl_AssemblesTheText()
    {
        var client = new AnthropicClient { BaseUrl = fixture.Gateway.BaseAddress + "/anth", ApiKey = ProvidersFixture.Key, MaxRetries = 0 };
        var text = new System.Text.StringBuilder();
        var sawStop = false;
        await foreach (var streamEvent in client.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "claude-sdk",
            MaxTokens = 64,
            Messages = [new UserMessageParam { Content = "sdk via provider route" }],
        }))
        {
            sawStop |= streamEvent.TryPickStop(out _);
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta.Text);
            }
        }
        Assert.True(sawStop, "expected a message_stop event");
        Assert.StartsWith("Hello from claude-sdk", text.ToString());
        var sent = Assert.Single(fixture.Upstream.RequestsTo("/v1/messages"), r => r.BodyText.Contains("sdk via provider route"));
        Assert.Equal("sk-anth", sent.Header("x-api-key"));
        Assert.DoesNotContain(sent.Headers, h => h.Value.Contains(ProvidersFixture.Key, StringComparison.Ordinal));
    }
}
