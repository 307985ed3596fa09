using System.Buffers;
using System.Text;
using Gateway.Api.Translation;
using Xunit.Sdk;

namespace Gateway.Api.Tests.Translation.Responses;

/// <summary>Feeds upstream events to a stream translator and compares the Anthropic events it wrote, one by one.</summary>
internal static class SseTestEvents
{
    /// <summary>Upstream events as (event type, data); the type is taken from the data's <c>type</c> field.</summary>
    public static string Run(IStreamTranslator translator, IEnumerable<string> upstreamData, bool end = true)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var data in upstreamData)
        {
            translator.OnEvent(ReadOnlySpan<byte>.Empty, Encoding.UTF8.GetBytes(data), output);
        }
        if (end)
        {
            translator.OnEnd(output);
        }
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Parses <c>event: x\ndata: y\n\n</c> frames.</summary>
    public static List<(string Event, string Data)> Parse(string sse)
    {
        var events = new List<(string, string)>();
        foreach (var frame in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = frame.Split('\n');
            if (lines.Length != 2 || !lines[0].StartsWith("event: ", StringComparison.Ordinal) || !lines[1].StartsWith("data: ", StringComparison.Ordinal))
            {
                throw new XunitException($"Malformed SSE frame: {frame}");
            }
            events.Add((lines[0]["event: ".Length..], lines[1]["data: ".Length..]));
        }
        return events;
    }

    /// <summary>Every expected event is (type, JSON data); the data's own <c>type</c> must equal the event name.</summary>
    public static void Equal(IReadOnlyList<(string Event, string Data)> expected, string actualSse)
    {
        var actual = Parse(actualSse);
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (expected[i].Event != actual[i].Event)
            {
                throw new XunitException($"Event {i}: expected '{expected[i].Event}', found '{actual[i].Event}' {actual[i].Data}\nAll events:\n{actualSse}");
            }
            try
            {
                JsonAssert.Equal(expected[i].Data, actual[i].Data);
            }
            catch (XunitException ex)
            {
                throw new XunitException($"Event {i} ({actual[i].Event}): {ex.Message}\nAll events:\n{actualSse}");
            }
        }
        if (expected.Count != actual.Count)
        {
            throw new XunitException($"Expected {expected.Count} events, found {actual.Count}.\nAll events:\n{actualSse}");
        }
    }
}
