using System.Buffers;
using Gateway.Api.Usage;

namespace Gateway.Api.Translation;

/// <summary>
/// Translates one upstream server-sent-event stream into the client's dialect, event by event.
/// The caller parses the upstream stream (System.Net.ServerSentEvents) and feeds each event in; after each call it
/// flushes whatever the translator wrote, so every downstream event reaches the client as soon as it is complete.
/// Implementations keep only small per-stream state (open block, indices, tool-call map), never the whole stream.
/// </summary>
public interface IStreamTranslator
{
    /// <summary>One upstream event: its <c>event:</c> type (empty when absent) and its <c>data:</c> payload.</summary>
    void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data, IBufferWriter<byte> output);

    /// <summary>The upstream stream ended (cleanly or not). Writes closing events or an error event as the dialect requires.</summary>
    void OnEnd(IBufferWriter<byte> output);

    /// <summary>The upstream failed after the first byte reached the client; writes the dialect's error event.</summary>
    void OnError(string message, IBufferWriter<byte> output);

    /// <summary>Usage seen so far (final once the stream completed).</summary>
    TokenUsage Usage { get; }

    /// <summary>True once the upstream signalled a complete response (e.g. <c>message_stop</c> was written).</summary>
    bool Completed { get; }
}
