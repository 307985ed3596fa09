using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Api.Responses;
using Gateway.Api.Usage;
using Microsoft.AspNetCore.Http;

namespace Gateway.Api.Tests.Responses;

/// <summary>
/// <see cref="ResponsesRelay"/> over upstream bodies that arrive in small, arbitrary pieces: the bytes the client gets,
/// the usage it records, and the retry signal before the first event (SPEC §11.2, §15.2).
/// </summary>
public sealed class ResponsesRelayTests
{
    private const string Added = "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\"}}\n\n";
    private const string GoodDelta = "event: response.output_text.delta\r\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,\"delta\":\"He\"}\r\n\r\n";
    private const string DriftedDelta = "event: response.output_text.delta\ndata:{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_other\",\"output_index\":0,\"delta\":\"llo\"}\n\n";
    private const string FixedDelta = "event: response.output_text.delta\ndata:{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,\"delta\":\"llo\"}\n\n";
    private const string Completed = "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"usage\":{\"input_tokens\":120,\"input_tokens_details\":{\"cached_tokens\":100},\"output_tokens\":7,\"total_tokens\":127}}}\n\n";

    private static (HttpContext Context, MemoryStream Body, RequestUsage Usage) NewContext()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        context.Request.Path = "/v1/responses";
        var usage = new RequestUsage("responses", "chat");
        context.Features.Set(usage);
        return (context, body, usage);
    }

    private static HttpResponseMessage Upstream(string body, string mediaType, int pieceSize)
    {
        var content = new StreamContent(new PiecewiseStream(Encoding.UTF8.GetBytes(body), pieceSize));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(1 << 20)]
    public async Task Stream_IsRelayedByteForByte_ButForTheDriftedItemId_WhateverTheReadSizes(int pieceSize)
    {
        var (context, body, usage) = NewContext();
        using var upstream = Upstream(Added + GoodDelta + DriftedDelta + Completed, "text/event-stream", pieceSize);

        var outcome = await ResponsesRelay.RelayAsync(context, upstream, TimeSpan.FromSeconds(10), canRetry: true);

        Assert.Equal(ResponsesRelayOutcome.Completed, outcome);
        Assert.Equal(Added + GoodDelta + FixedDelta + Completed, Encoding.UTF8.GetString(body.ToArray()));
        Assert.Equal("text/event-stream; charset=utf-8", context.Response.ContentType);
        Assert.Equal(new TokenUsage(20, 7, 100, 0, 127), usage.Tokens);
        Assert.True(usage.IsStream);
    }

    [Fact]
    public async Task StreamWhoseLastEventLacksItsBlankLine_IsRelayedWhole()
    {
        var (context, body, _) = NewContext();
        using var upstream = Upstream(Added + "data: {\"type\":\"response.completed\"}", "text/event-stream", 7);

        Assert.Equal(ResponsesRelayOutcome.Completed, await ResponsesRelay.RelayAsync(context, upstream, TimeSpan.FromSeconds(10), canRetry: true));

        Assert.Equal(Added + "data: {\"type\":\"response.completed\"}", Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task EmptyStream_AsksForARetry_AndWritesNothing()
    {
        var (context, body, usage) = NewContext();
        using var upstream = Upstream("", "text/event-stream", 16);

        Assert.Equal(ResponsesRelayOutcome.FailedBeforeFirstEvent, await ResponsesRelay.RelayAsync(context, upstream, TimeSpan.FromSeconds(10), canRetry: true));

        Assert.Equal(0, body.Length);
        Assert.False(context.Response.HasStarted);
        Assert.False(usage.IsStream);
    }

    [Fact]
    public async Task EmptyStreamWithoutRetryLeft_Gets502()
    {
        var (context, body, _) = NewContext();
        using var upstream = Upstream("", "text/event-stream", 16);

        Assert.Equal(ResponsesRelayOutcome.UpstreamFailed, await ResponsesRelay.RelayAsync(context, upstream, TimeSpan.FromSeconds(10), canRetry: false));

        Assert.Equal(502, context.Response.StatusCode);
        Assert.Equal("""{"error":{"message":"Upstream stream ended before any event.","type":"error","param":null,"code":null}}""", Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task JsonBody_IsRelayedAsItCame_AndItsUsageRecorded()
    {
        var (context, body, usage) = NewContext();
        const string json = """{"id":"resp_2","object":"response","output":[],"usage":{"input_tokens":50,"input_tokens_details":{"cached_tokens":0},"output_tokens":5,"total_tokens":55}}""";
        using var upstream = Upstream(json, "application/json", 5);

        Assert.Equal(ResponsesRelayOutcome.Completed, await ResponsesRelay.RelayAsync(context, upstream, TimeSpan.FromSeconds(10), canRetry: true));

        Assert.Equal(json, Encoding.UTF8.GetString(body.ToArray()));
        Assert.Equal(new TokenUsage(50, 5, 0, 0, 55), usage.Tokens);
        Assert.False(usage.IsStream);
    }

    [Theory]
    [InlineData("a\n\nb", 0, 3)]
    [InlineData("a\r\n\r\nb", 0, 5)]
    [InlineData("a\nb\n", 0, -1)]
    [InlineData("a\n\nb\n\n", 3, 6)]
    public void EventEnd_FindsTheBlankLine(string buffer, int from, int expected)
        => Assert.Equal(expected, ResponsesRelay.EventEnd(Encoding.UTF8.GetBytes(buffer), from));

    /// <summary>Serves its bytes at most <c>pieceSize</c> at a time, as a network read would.</summary>
    private sealed class PiecewiseStream(byte[] bytes, int pieceSize) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(pieceSize, buffer.Length), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
