using System.Runtime.InteropServices;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Benchmarks.Fake;

/// <summary>
/// The <c>fake</c> mode of the benchmark executable: the fake upstream alone in its own process, so its CPU time and
/// memory are measured apart from the gateway and the load generator. Prints <see cref="ReadyPrefix"/> and its base
/// address once listening; runs until SIGINT/SIGTERM, or until its stdin closes when started by the benchmark (so a
/// crashed parent never leaves it behind).
/// </summary>
public static class FakeUpstreamProcess
{
    public const string ReadyPrefix = "fake-upstream listening on ";

    /// <summary>Long enough that no Copilot token expires or is refreshed during any run.</summary>
    private const int TokenLifetimeSeconds = 12 * 3600;

    public static async Task<int> RunAsync(int port, int contentChunks, bool exitOnStdinClose, CancellationToken ct)
    {
        // Recording off: the fake should cost as little as possible, and the benchmark reads nothing back.
        await using var server = await FakeUpstreamServer.StartAsync(new FakeUpstreamOptions { RecordRequests = false, Port = port }, ct);
        server.State.ContentChunks = contentChunks;
        server.State.CopilotTokenExpiresIn = TokenLifetimeSeconds;
        server.State.CopilotTokenRefreshIn = TokenLifetimeSeconds - 600;
        Console.WriteLine(ReadyPrefix + server.BaseAddress);

        // The server's host takes SIGINT/SIGTERM for itself (it only stops listening), so this process listens too.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        var stdinClosed = exitOnStdinClose
            ? Task.Run(async () => await Console.In.ReadToEndAsync(stop.Token), stop.Token)
            : Task.Delay(Timeout.Infinite, stop.Token);
        // Whichever comes first: stdin closed or a signal; WhenAny never throws.
        await Task.WhenAny(stdinClosed, Task.Delay(Timeout.Infinite, stop.Token));

        return 0;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
