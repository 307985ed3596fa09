using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Responses;

/// <summary>The one-pass scan of a <c>/v1/responses</c> body (SPEC §4.4, §16.2).</summary>
public sealed class ResponsesBodyFactsTests
{
    [Fact]
    public void Scan_ReadsModelStreamImageInitiatorAndMaxOutputTokens()
    {
        Assert.True(ResponsesBodyFacts.TryScan("""
            {"model":"gpt-5.4","max_output_tokens":2048,"stream":true,
             "input":[{"role":"user","content":[{"type":"input_image","image_url":"https://x/a.png"}]},{"type":"function_call_output","call_id":"c","output":"ok"}]}
            """u8, out var facts));

        Assert.Equal(new ResponsesBodyFacts("gpt-5.4", true, true, "agent", 2048), facts);
    }

    [Theory]
    [InlineData("""{"model":"m","max_output_tokens":null,"input":"hi"}""")]
    [InlineData("""{"model":"m","max_output_tokens":-5,"input":"hi"}""")]
    [InlineData("""{"model":"m","max_output_tokens":"9","input":"hi"}""")]
    public void MaxOutputTokensThatIsNotACount_IsNull(string body)
    {
        Assert.True(ResponsesBodyFacts.TryScan(System.Text.Encoding.UTF8.GetBytes(body), out var facts));

        Assert.Equal(new ResponsesBodyFacts("m", false, false, "user"), facts);
    }
}
