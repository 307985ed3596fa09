using Xunit.Sdk;

namespace Gateway.Api.Tests.Translation.Chat;

public sealed class SseEventsTests
{
    private const string Sse = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    [Fact]
    public void SameEvents_AreEqual()
    {
        SseEvents.Equal([("message_stop", """{"type":"message_stop"}""")], Sse);
    }

    [Fact]
    public void DifferentEventType_Fails()
    {
        var error = Assert.Throws<XunitException>(() => SseEvents.Equal([("message_delta", """{"type":"message_stop"}""")], Sse));
        Assert.Contains("Event 0: expected 'message_delta', got 'message_stop'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DifferentData_FailsWithPath()
    {
        var error = Assert.Throws<XunitException>(() => SseEvents.Equal([("message_stop", """{"type":"stop"}""")], Sse));
        Assert.Contains("$.type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingEvent_Fails()
    {
        var error = Assert.Throws<XunitException>(() => SseEvents.Equal([("message_stop", """{"type":"message_stop"}"""), ("ping", "{}")], Sse));
        Assert.Contains("Expected 2 events, got 1", error.Message, StringComparison.Ordinal);
    }
}
