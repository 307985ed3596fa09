using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Messages;

public class SystemMessageNormalizerTests
{
    [Fact]
    public void FirstSystemEntry_AppendedToStringSystemAsTextBlocks()
    {
        var request = JsonAssert.Parse("""
            {"system":"base","messages":[
              {"role":"system","content":"extra rules"},
              {"role":"user","content":"hi"}]}
            """);

        Assert.True(SystemMessageNormalizer.Apply(request));

        JsonAssert.Equal("""
            {"system":[{"type":"text","text":"base"},{"type":"text","text":"extra rules"}],
             "messages":[{"role":"user","content":"hi"}]}
            """, request);
    }

    [Fact]
    public void LaterSystemEntries_WrappedAfterLastToolResultOfPrecedingUser_InOrder()
    {
        var request = JsonAssert.Parse("""
            {"messages":[
              {"role":"system","content":[{"type":"text","text":"first","cache_control":{"type":"ephemeral"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"},{"type":"text","text":"after"}]},
              {"role":"system","content":"second"},
              {"role":"assistant","content":"a"},
              {"role":"system","content":[{"type":"text","text":"third"},{"type":"text","text":"more"}]}]}
            """);

        SystemMessageNormalizer.Apply(request);

        JsonAssert.Equal("""
            {"system":[{"type":"text","text":"first","cache_control":{"type":"ephemeral"}}],
             "messages":[
              {"role":"user","content":[
                {"type":"tool_result","tool_use_id":"t1","content":"ok"},
                {"type":"text","text":"<system-reminder>\nsecond\n</system-reminder>"},
                {"type":"text","text":"<system-reminder>\nthird\n\nmore\n</system-reminder>"},
                {"type":"text","text":"after"}]},
              {"role":"assistant","content":"a"}]}
            """, request);
    }

    [Fact]
    public void LaterSystemEntry_StringUserContent_BecomesBlocksWithReminderAtEnd()
    {
        var request = JsonAssert.Parse("""
            {"messages":[{"role":"system","content":"s1"},{"role":"user","content":"q"},{"role":"system","content":"s2"}]}
            """);

        SystemMessageNormalizer.Apply(request);

        JsonAssert.Equal("""
            {"system":[{"type":"text","text":"s1"}],
             "messages":[{"role":"user","content":[{"type":"text","text":"q"},{"type":"text","text":"<system-reminder>\ns2\n</system-reminder>"}]}]}
            """, request);
    }

    [Fact]
    public void LaterSystemEntry_NoPrecedingUser_AppendedToSystem()
    {
        var request = JsonAssert.Parse("""
            {"system":[{"type":"text","text":"base"}],"messages":[{"role":"system","content":"s1"},{"role":"system","content":"s2"},{"role":"user","content":"q"}]}
            """);

        SystemMessageNormalizer.Apply(request);

        JsonAssert.Equal("""
            {"system":[{"type":"text","text":"base"},{"type":"text","text":"s1"},{"type":"text","text":"<system-reminder>\ns2\n</system-reminder>"}],
             "messages":[{"role":"user","content":"q"}]}
            """, request);
    }

    [Fact]
    public void NoSystemEntries_RequestUnchanged()
    {
        const string json = """{"system":"x","messages":[{"role":"user","content":"q"}]}""";
        var request = JsonAssert.Parse(json);

        Assert.False(SystemMessageNormalizer.Apply(request));
        JsonAssert.Equal(json, request);
    }
}
