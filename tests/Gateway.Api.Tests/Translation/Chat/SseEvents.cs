using System.Buffers;
using System.Text;
using Gateway.Api.Translation;
using Xunit.Sdk;

namespace Gateway.Api.Tests.Translation.Chat;

/// <summary>Feeds upstream data lines into a stream translator and checks the written SSE events one by one.</summary>
internal static class SseEvents
{
    public static string Run(IStreamTranslator translator, IEnumerable<string> dataLines, bool callEnd = true)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var data in dataLines)
        {
            translator.OnEvent(ReadOnlySpan<byte>.Empty, Encoding.UTF8.GetBytes(data), output);
        }
        if (callEnd)
        {
            translator.OnEnd(output);
        }
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    public static List<(string Event, string Data)> Parse(string sse)
    {
        var events = new List<(string, string)>();
        foreach (var block in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            if (lines.Length != 2 || !lines[0].StartsWith("event: ", StringComparison.Ordinal) || !lines[1].StartsWith("data: ", StringComparison.Ordinal))
            {
                throw new XunitException($"Malformed SSE event: {block}");
            }
            events.Add((lines[0]["event: ".Length..], lines[1]["data: ".Length..]));
        }
        return events;
    }

    /// <summary>Exact event list: same count, and per event the same type and canonically equal data.</summary>
    public static void Equal(IReadOnlyList<(string Event, string Data)> expected, string actualSse)
    {
        if (!actualSse.EndsWith("\n\n", StringComparison.Ordinal) && actualSse.Length > 0)
        {
            throw new XunitException($"SSE output does not end with a blank line:\n{actualSse}");
        }
        var actual = Parse(actualSse);
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (expected[i].Event != actual[i].Event)
            {
                throw new XunitException($"Event {i}: expected '{expected[i].Event}', got '{actual[i].Event}' ({actual[i].Data})\nAll:\n{actualSse}");
            }
            try
            {
                JsonAssert.Equal(expected[i].Data, actual[i].Data);
            }
            catch (XunitException e)
            {
                throw new XunitException($"Event {i} ({expected[i].Event}): {e.Message}\nAll:\n{actualSse}");
            }
        }
        if (expected.Count != actual.Count)
        {
            throw new XunitException($"Expected {expected.Count} events, got {actual.Count}\nAll:\n{actualSse}");
        }
    }
}
