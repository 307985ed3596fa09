using System.Buffers;
using System.Text;
using Gateway.Api.Tests.Messages;
using Gateway.Api.Tokens;

namespace Gateway.Api.Tests.Tokens;

public class CountTokensRequestTests
{
    [Fact]
    public void Prepare_DropsSpeedAndNormalisesSystemMessages()
    {
        var request = JsonAssert.Parse("""{"model":"m","speed":"fast","messages":[{"role":"system","content":"s"},{"role":"user","content":"u"}]}""");

        CountTokensRequest.Prepare(request);

        JsonAssert.Equal("""{"model":"m","system":[{"type":"text","text":"s"}],"messages":[{"role":"user","content":"u"}]}""", request);
    }

    [Fact]
    public void AnthropicModelId_DotsBecomeDashes()
        => Assert.Equal("claude-sonnet-4-5", CountTokensRequest.AnthropicModelId("claude-sonnet-4.5"));

    [Fact]
    public void WriteResponse_WritesInputTokensObject()
    {
        var output = new ArrayBufferWriter<byte>();
        CountTokensRequest.WriteResponse(output, 1234);
        Assert.Equal("""{"input_tokens":1234}""", Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
