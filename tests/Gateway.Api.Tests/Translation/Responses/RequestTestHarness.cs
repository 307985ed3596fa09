using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Translation.Responses;

namespace Gateway.Api.Tests.Translation.Responses;

/// <summary>Runs <see cref="AnthropicToResponsesRequest"/> on JSON text and returns the upstream body as text.</summary>
internal static class RequestTestHarness
{
    public static ResponsesRequestOptions Options(string model = "gpt-5.2") => new()
    {
        UpstreamModelId = model,
        ContextManagement = false,
    };

    public static string Translate(string anthropicJson, ResponsesRequestOptions? options = null)
        => Translate(anthropicJson, options ?? Options(), out _);

    public static string Translate(string anthropicJson, ResponsesRequestOptions options, out ResponsesRequestInfo info)
    {
        var request = JsonNode.Parse(anthropicJson)!.AsObject();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            info = AnthropicToResponsesRequest.Write(request, options, writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>One property of the translated body as JSON text (<c>null</c> text when absent).</summary>
    public static string Property(string upstreamJson, string name)
    {
        using var document = JsonDocument.Parse(upstreamJson);
        return document.RootElement.TryGetProperty(name, out var value) ? value.GetRawText() : "null";
    }

    public static bool HasProperty(string upstreamJson, string name)
    {
        using var document = JsonDocument.Parse(upstreamJson);
        return document.RootElement.TryGetProperty(name, out _);
    }

    /// <summary>Compares one property of the translated body with the expected JSON.</summary>
    public static void AssertProperty(string upstreamJson, string name, string expectedJson)
    {
        Assert.True(HasProperty(upstreamJson, name), $"Expected property '{name}' in {upstreamJson}");
        JsonAssert.Equal(expectedJson, Property(upstreamJson, name));
    }
}
