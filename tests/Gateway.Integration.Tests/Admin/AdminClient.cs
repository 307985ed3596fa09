using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Gateway.Integration.Tests.Admin;

/// <summary>Small helpers for admin-API tests: authorised requests, JSON bodies, chat calls and bounded waits.</summary>
internal static class AdminClient
{
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, string key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> JsonAsync(HttpClient client, HttpMethod method, string path, string key, string? json, HttpStatusCode expected)
    {
        var (status, body) = await SendAsync(client, method, path, key, json);
        Assert.True(status == expected, $"{method} {path}: expected {(int)expected}, got {(int)status}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A non-streaming chat completion with <paramref name="key"/>; returns the status.</summary>
    public static async Task<HttpStatusCode> ChatAsync(HttpClient client, string key, string model = "gpt-4.1", string text = "hi")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{text}}"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Polls <paramref name="probe"/> until it returns true, for at most <paramref name="timeout"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> probe, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe())
            {
                return true;
            }
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(200);
        }
    }

    /// <summary>The body with a property removed, for comparing JSON that carries server-chosen values.</summary>
    public static string Without(JsonElement element, params string[] names)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in element.EnumerateObject())
            {
                if (!names.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
