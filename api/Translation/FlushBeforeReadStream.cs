namespace Gateway.Api.Translation;

/// <summary>
/// A read-only view of an upstream body that, before each read of the upstream, sends what the translator has written
/// so far and restarts the idle timeout. The SSE parser reads only when it has no complete event left, so events that
/// arrived together are translated together and reach the client in one write, and no translated event ever waits
/// for more upstream bytes (DESIGN §2 step 5: each event is flushed as soon as it is complete).
/// </summary>
internal sealed class FlushBeforeReadStream(Stream inner, Func<ValueTask> flushAsync, Action beforeRead) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await flushAsync();
        beforeRead();
        return await inner.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
