using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Api.Tests.FakeUpstream;

/// <summary>Helpers shared by the fake upstream's own tests: a fixed clock, raw HTTP calls, JSON and SSE comparison.</summary>
internal static class FakeUpstreamTestKit
{
    /// <summary>The clock every test server starts at, so timestamps in answers are known.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    /// <summary>Exchanges the default GitHub token for a Copilot token, as the gateway does at start-up.</summary>
    public static async Task<string> CopilotTokenAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/copilot_internal/v2/token");
        request.Headers.TryAddWithoutValidation("authorization", "token " + FakeUpstreamState.DefaultGitHubToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }

    public static HttpRequestMessage Post(string path, string json, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }

    public static HttpRequestMessage Get(string path, string? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("authorization", authorization);
        }

        return request;
    }

    /// <summary>Sends and returns status, content type and body text.</summary>
    public static async Task<(int Status, string? ContentType, string Body)> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Asserts two JSON texts are the same document, property order included.</summary>
    public static void AssertJson(string expected, string actual) =>
        Assert.Equal(Normalize(expected), Normalize(actual));

    public static string Normalize(string json) => JsonNode.Parse(json)!.ToJsonString();

    /// <summary>Splits an SSE body into (event name or null, data) pairs, checking each event ends with a blank line.</summary>
    public static IReadOnlyList<(string? Event, string Data)> ParseSse(string body)
    {
        Assert.EndsWith("\n\n", body);
        var events = new List<(string? Event, string Data)>();
        foreach (var block in body[..^2].Split("\n\n"))
        {
            string? name = null;
            string? data = null;
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line["data: ".Length..];
                }
                else
                {
                    Assert.Fail($"Unexpected SSE line '{line}' in block '{block}'.");
                }
            }

            events.Add((name, data ?? throw new InvalidOperationException($"SSE block without data: '{block}'.")));
        }

        return events;
    }
}
