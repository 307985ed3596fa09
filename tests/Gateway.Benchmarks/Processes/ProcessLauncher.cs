using System.Net;
using System.Net.Sockets;
using Gateway.Benchmarks.Fake;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Benchmarks.Processes;

/// <summary>Starts the two measured processes: the fake upstream (this executable in <c>fake</c> mode) and the gateway.</summary>
public static class ProcessLauncher
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Starts the fake upstream on a free loopback port and returns it with its base address.</summary>
    public static async Task<(ChildProcess Process, string BaseAddress)> StartFakeAsync(int contentChunks)
    {
        var (host, prefix) = SelfCommand();
        string[] arguments = [.. prefix, "fake", "--port", "0", "--chunks", contentChunks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--exit-on-stdin-close"];
        var process = ChildProcess.Start("fake upstream", host, arguments);
        try
        {
            var line = await process.WaitForLineAsync(l => l.StartsWith(FakeUpstreamProcess.ReadyPrefix, StringComparison.Ordinal), ReadyTimeout);
            return (process, line[FakeUpstreamProcess.ReadyPrefix.Length..].Trim());
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the gateway standalone (co-hosted silo, SPEC §1.4) on <paramref name="port"/> with every upstream URL
    /// on the fake, its own data dir and no device flow, and waits until it serves <c>/v1/models</c> (the account
    /// import at start-up has finished then).
    /// </summary>
    public static async Task<ChildProcess> StartGatewayAsync(
        string gatewayDll,
        int port,
        string fakeBaseAddress,
        string dataDir,
        IEnumerable<string> extraArgs,
        IReadOnlyDictionary<string, string> environment)
    {
        string[] arguments =
        [
            gatewayDll, "start",
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data-dir", dataDir,
            $"--Gateway:upstreams:githubWebUrl={fakeBaseAddress}",
            $"--Gateway:upstreams:githubApiUrl={fakeBaseAddress}",
            "--Gateway:upstreams:vscodeVersionUrl=",
            "--Gateway:startupDeviceFlow=false",
            $"--Gateway:githubToken={FakeUpstreamState.DefaultGitHubToken}",
            "--Gateway:cluster:clusterId=bench-" + Guid.NewGuid().ToString("N")[..8],
            .. extraArgs,
        ];
        var process = ChildProcess.Start("gateway", DotnetHost(), arguments, environment);
        try
        {
            await WaitForModelsAsync(process, port);
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>A loopback port free right now (bound, then released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForModelsAsync(ChildProcess process, int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var url = $"http://127.0.0.1:{port}/v1/models";
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited during start-up.\n{process.RecentOutput()}");
            }

            try
            {
                using var response = await client.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"The gateway served no models within {ReadyTimeout.TotalSeconds:0} s ({last}).\n{process.RecentOutput()}");
    }

    /// <summary>How to start this executable again: its apphost, or <c>dotnet</c> plus its dll when run that way.</summary>
    private static (string Host, string[] Prefix) SelfCommand()
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell how this process was started.");
        var assembly = typeof(ProcessLauncher).Assembly.Location;
        return IsDotnetHost(processPath) ? (processPath, [assembly]) : (processPath, []);
    }

    private static string DotnetHost()
    {
        var processPath = Environment.ProcessPath;
        return processPath is not null && IsDotnetHost(processPath) ? processPath : "dotnet";
    }

    private static bool IsDotnetHost(string path) =>
        string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.OrdinalIgnoreCase);
}
