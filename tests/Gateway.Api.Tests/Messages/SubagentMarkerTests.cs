using System.Text.Json.Nodes;
using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Messages;

public class SubagentMarkerTests
{
    private static JsonObject RequestWithTexts(params string[] texts)
    {
        var content = new JsonArray();
        foreach (var text in texts)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = text });
        }
        return new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = content },
                new JsonObject { ["role"] = "assistant", ["content"] = "ok" }),
        };
    }

    private const string Valid = """__SUBAGENT_MARKER__{"session_id":"s1","agent_id":"a1","agent_type":"Explore"}""";

    [Fact]
    public void ValidMarkerInReminder_Found_TrailingTextAllowed()
    {
        var request = RequestWithTexts($"<system-reminder>\n{Valid} trailing words\n</system-reminder>");

        Assert.True(SubagentMarker.TryFind(request, out var marker));
        Assert.Equal(new SubagentMarker("s1", "a1", "Explore"), marker);
    }

    [Fact]
    public void BracesAndEscapesInsideStrings_RespectedAndDecoded()
    {
        const string text = """<system-reminder>__SUBAGENT_MARKER__ {"session_id":"s{1}\"}","agent_id":"a\u00e9\\","agent_type":"x}y","extra":{"n":[1,{"k":"}"}]}}</system-reminder>""";

        Assert.True(SubagentMarker.TryFind(RequestWithTexts(text), out var marker));
        Assert.Equal(new SubagentMarker("s{1}\"}", "aé\\", "x}y"), marker);
    }

    [Fact]
    public void MarkerOutsideReminder_Ignored()
        => Assert.False(SubagentMarker.TryFind(RequestWithTexts(Valid), out _));

    [Fact]
    public void InvalidThenValidMarker_ValidOneWins()
    {
        var request = RequestWithTexts(
            """<system-reminder>__SUBAGENT_MARKER__{"session_id":"","agent_id":"a0","agent_type":"t"}</system-reminder>""",
            """<system-reminder>__SUBAGENT_MARKER__{"session_id":"s","agent_id":1,"agent_type":"t"} __SUBAGENT_MARKER__{broken</system-reminder>""",
            $"<system-reminder>{Valid}</system-reminder><system-reminder>__SUBAGENT_MARKER__{{\"session_id\":\"s2\",\"agent_id\":\"a2\",\"agent_type\":\"t2\"}}</system-reminder>");

        Assert.True(SubagentMarker.TryFind(request, out var marker));
        Assert.Equal(new SubagentMarker("s1", "a1", "Explore"), marker);
    }

    [Fact]
    public void SecondMarkerInSameSection_UsedWhenFirstIsInvalid()
    {
        var request = RequestWithTexts($$"""<system-reminder>__SUBAGENT_MARKER__{"session_id":"s"} then {{Valid}}</system-reminder>""");

        Assert.True(SubagentMarker.TryFind(request, out var marker));
        Assert.Equal("a1", marker.AgentId);
    }

    [Fact]
    public void UnclosedReminder_EndsSearch()
    {
        var request = RequestWithTexts($"<system-reminder>no close {Valid}", $"<system-reminder>{Valid}</system-reminder>");
        Assert.False(SubagentMarker.TryFind(request, out _));
    }

    [Fact]
    public void UnclosedReminderAfterClosedOne_EarlierMarkerStillFound()
    {
        var request = RequestWithTexts($"<system-reminder>{Valid}</system-reminder> and <system-reminder>open");
        Assert.True(SubagentMarker.TryFind(request, out _));
    }

    [Fact]
    public void ObjectClosedOnlyAfterReminderEnd_Invalid()
    {
        var request = RequestWithTexts("""<system-reminder>__SUBAGENT_MARKER__{"session_id":"s1",</system-reminder>"agent_id":"a","agent_type":"t"}""");
        Assert.False(SubagentMarker.TryFind(request, out _));
    }

    [Fact]
    public void OnlyFirstUserMessageWithArrayContent_Inspected()
    {
        var request = new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = $"<system-reminder>{Valid}</system-reminder>" },
                new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "plain" }) },
                new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = $"<system-reminder>{Valid}</system-reminder>" }) }),
        };
        Assert.False(SubagentMarker.TryFind(request, out _));
    }
}
