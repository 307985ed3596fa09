using Gateway.Api.Translation;

namespace Gateway.Api.Tests.Translation;

public sealed class FlushBeforeReadStreamTests
{
    [Fact]
    public async Task EachRead_FlushesThenRestartsTheTimerThenReads()
    {
        var log = new List<string>();
        var inner = new MemoryStream("abcdef"u8.ToArray());
        var stream = new FlushBeforeReadStream(inner, () =>
        {
            log.Add("flush");
            return ValueTask.CompletedTask;
        }, () => log.Add("timer"));
        var buffer = new byte[4];

        Assert.Equal(4, await stream.ReadAsync(buffer));
        Assert.Equal(2, await stream.ReadAsync(buffer));
        Assert.Equal(0, await stream.ReadAsync(buffer));

        Assert.Equal(["flush", "timer", "flush", "timer", "flush", "timer"], log);
    }

    [Fact]
    public void SynchronousReadAndWrites_AreNotSupported()
    {
        var stream = new FlushBeforeReadStream(new MemoryStream(), () => ValueTask.CompletedTask, () => { });
        Assert.True(stream.CanRead);
        Assert.False(stream.CanWrite);
        Assert.False(stream.CanSeek);
        Assert.Throws<NotSupportedException>(() => stream.Read(new byte[1], 0, 1));
        Assert.Throws<NotSupportedException>(() => stream.Write(new byte[1], 0, 1));
    }
}
