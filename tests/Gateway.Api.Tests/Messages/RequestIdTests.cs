using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Messages;

public class RequestIdTests
{
    [Fact]
    public void WithRootSession_DeterministicOverCompactJsonWithoutToolResultsAndCacheControl()
    {
        var request = JsonAssert.Parse("""
            {"messages":[
              {"role":"user","content":"first"},
              {"role":"assistant","content":"a"},
              {"role":"user","content":[
                {"type":"tool_result","tool_use_id":"t","content":"r"},
                {"type":"text","text":"héllo <b>","cache_control":{"type":"ephemeral"}}]}]}
            """);

        var id = RequestId.ForMessages("root", "m".PadLeft(64, '0'), request);

        var expected = RootSession.DeriveUuid("root" + "m".PadLeft(64, '0') + """[{"type":"text","text":"héllo <b>"}]""");
        Assert.Equal(expected, id);
    }

    [Fact]
    public void StringContent_SerialisedAsJsonString()
    {
        var request = JsonAssert.Parse("""{"messages":[{"role":"user","content":"say \"hi\""}]}""");
        Assert.Equal(RootSession.DeriveUuid("rmach" + "\"say \\\"hi\\\"\""), RequestId.ForMessages("r", "mach", request));
    }

    [Fact]
    public void RetriedTurn_KeepsId_DifferentTurn_Changes()
    {
        var a = JsonAssert.Parse("""{"messages":[{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}]}]}""");
        var b = JsonAssert.Parse("""{"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}]}""");
        var c = JsonAssert.Parse("""{"messages":[{"role":"user","content":[{"type":"text","text":"y"}]}]}""");

        Assert.Equal(RequestId.ForMessages("s", "m", a), RequestId.ForMessages("s", "m", b));
        Assert.NotEqual(RequestId.ForMessages("s", "m", a), RequestId.ForMessages("s", "m", c));
    }

    [Fact]
    public void WithoutRootSession_RandomV4()
    {
        var request = JsonAssert.Parse("""{"messages":[{"role":"user","content":"x"}]}""");
        var first = RequestId.ForMessages(null, "m", request);
        var second = RequestId.ForMessages(null, "m", request);

        Assert.NotEqual(first, second);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", first);
    }
}
