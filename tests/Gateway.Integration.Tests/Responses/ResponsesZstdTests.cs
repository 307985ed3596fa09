using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Integration.Tests.Infrastructure;

namespace Gateway.Integration.Tests.Responses;

/// <summary>
/// Codex CLI compresses <c>/v1/responses</c> bodies with zstd (SPEC §1.3): the gateway decompresses them, bounded by
/// the decompressed size, and still refuses any other encoding with 415.
/// </summary>
public sealed class ResponsesZstdTests(StandaloneGatewayFixture fixture) : IClassFixture<StandaloneGatewayFixture>
{
    private async Task<(HttpStatusCode Status, string Body)> PostAsync(byte[] body, string encoding, string path = "v1/responses")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add(encoding);
        using var response = await fixture.Gateway.Client.PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static byte[] Zstd(byte[] data)
    {
        using var compressor = new ZstdSharp.Compressor(3);
        return compressor.Wrap(data).ToArray();
    }

    [Fact]
    public async Task ZstdBody_IsDecompressedAndSentUpstreamAsJson()
    {
        var marker = "zstd-" + Guid.NewGuid().ToString("N");
        var json = Encoding.UTF8.GetBytes($$"""{"model":"gpt-5.4","input":[{"role":"user","content":"{{marker}}"}]}""");

        var (status, body) = await PostAsync(Zstd(json), "zstd");

        Assert.True(status == HttpStatusCode.OK, body);
        var sent = fixture.Upstream.RequestsTo("/responses").Single(r => r.BodyText.Contains(marker));
        Assert.Null(sent.Header("content-encoding"));
        Assert.Contains(marker, sent.BodyText);
    }

    [Fact]
    public async Task NotZstd_Gets400_InTheRouteDialect()
    {
        var (status, body) = await PostAsync(Encoding.UTF8.GetBytes("""{"model":"gpt-5.4"}"""), "zstd");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("""{"error":{"message":"Request body is not valid zstd data""", body);

        var (messagesStatus, messagesBody) = await PostAsync([1, 2, 3, 4], "zstd", "v1/messages");
        Assert.Equal(HttpStatusCode.BadRequest, messagesStatus);
        Assert.StartsWith("""{"type":"error","error":{"type":"invalid_request_error","message":"Request body is not valid zstd data""", messagesBody);
    }

    [Fact]
    public async Task BodyExpandingPastTheLimit_Gets413()
    {
        // 80 MiB of spaces compress to a few kilobytes: the bound is on the decompressed size.
        var bomb = Zstd(Enumerable.Repeat((byte)' ', 80 * 1024 * 1024).ToArray());
        Assert.True(bomb.Length < 64 * 1024);

        var (status, body) = await PostAsync(bomb, "zstd");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("too large once decompressed", body);
    }

    [Fact]
    public async Task OtherEncodings_Get415()
    {
        var (status, body) = await PostAsync(Encoding.UTF8.GetBytes("{}"), "gzip");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("Unsupported Content-Encoding 'gzip'", body);
    }
}
