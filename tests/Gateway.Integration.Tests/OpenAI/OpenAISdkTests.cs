using System.ClientModel;
using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace Gateway.Integration.Tests.OpenAI;

/// <summary>The official OpenAI .NET SDK against the gateway, which relays to the fake Copilot upstream.</summary>
public sealed class OpenAISdkTests(StandaloneGatewayFixture fixture) : IClassFixture<StandaloneGatewayFixture>
{
    private OpenAIClientOptions Options => new() { Endpoint = new Uri(fixture.Gateway.BaseAddress + "/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) };

    private ChatClient Chat(string model) => new(model, new ApiKeyCredential("unused-in-open-mode"), Options);

    [Fact]
    public async Task ChatNonStream_ReturnsTheUpstreamCompletion()
    {
        var completion = (await Chat("gpt-4.1").CompleteChatAsync([new UserChatMessage("Say hello")])).Value;
        var upstream = fixture.Upstream.RequestsTo("/chat/completions").Last();
        Assert.Equal("gpt-4.1", completion.Model);
        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(20, completion.Usage.InputTokenCount);
        Assert.Equal(10, completion.Usage.OutputTokenCount);
        Assert.Equal("Bearer", upstream.Header("authorization")!.Split(' ')[0]);
        Assert.Equal("user", upstream.Header("x-initiator"));
    }

    [Fact]
    public async Task ChatStream_AssemblesTheSameTextAsTheUpstreamSent()
    {
        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat("gpt-4.1").CompleteChatStreamingAsync([new UserChatMessage("Stream please")], new ChatCompletionOptions()))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }
        var upstream = fixture.Upstream.RequestsTo("/chat/completions").Last(r => r.BodyText.Contains("Stream please"));
        Assert.Contains("\"stream\":true", upstream.BodyText);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.StartsWith(FakeReplyPrefix("gpt-4.1"), text.ToString());
        Assert.NotNull(usage);
        Assert.Equal(10, usage!.OutputTokenCount);
    }

    [Fact]
    public async Task ToolCalls_RoundTrip()
    {
        var tool = ChatTool.CreateFunctionTool("read_file", "Reads a file", BinaryData.FromString("""{"type":"object","properties":{"path":{"type":"string"}}}"""));
        var options = new ChatCompletionOptions { Tools = { tool } };
        var first = (await Chat("gpt-4.1").CompleteChatAsync([new UserChatMessage("Read README")], options)).Value;
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("read_file", call.FunctionName);
        Assert.Equal("""{"path":"README.md"}""", call.FunctionArguments.ToString());

        List<ChatMessage> history = [new UserChatMessage("Read README"), new AssistantChatMessage(first), new ToolChatMessage(call.Id, "# Title")];
        await Chat("gpt-4.1").CompleteChatAsync(history, options);
        var followUp = fixture.Upstream.RequestsTo("/chat/completions").Last();
        Assert.Equal("agent", followUp.Header("x-initiator"));
        Assert.Contains(call.Id, followUp.BodyText);
    }

    [Fact]
    public async Task Embeddings_ReturnVectors()
    {
        var client = new EmbeddingClient("text-embedding-3-small", new ApiKeyCredential("x"), Options);
        var embedding = (await client.GenerateEmbeddingAsync("hello")).Value;
        Assert.Equal(8, embedding.ToFloats().Length);
        Assert.Single(fixture.Upstream.RequestsTo("/embeddings"), r => r.BodyText.Contains("hello"));
    }

    [Fact]
    public async Task Models_ListsTheVisibleCatalogue()
    {
        var client = new OpenAIModelClient(new ApiKeyCredential("x"), Options);
        var models = (await client.GetModelsAsync()).Value;
        Assert.Equal(FakeModelCatalogue.DefaultVisibleIds.OrderBy(x => x), models.Select(m => m.Id).OrderBy(x => x));
    }

    private static string FakeReplyPrefix(string model) => FakeReply.Text(model, 0)[..10];
}
