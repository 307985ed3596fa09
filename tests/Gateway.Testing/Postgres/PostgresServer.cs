using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Gateway.Testing.Postgres;

/// <summary>
/// A PostgreSQL server for tests (DESIGN.md §8: "real Postgres started by the test run").
/// </summary>
/// <remarks>
/// <para>If <c>GATEWAY_TEST_POSTGRES</c> holds a connection string (CI sources <c>start-postgres.sh</c> once per run),
/// that server is used and this instance only creates and finally drops its own databases. Otherwise a throwaway
/// server is started: <c>initdb</c> into a temp dir and <c>pg_ctl start</c> on a free loopback port with durability
/// turned off, as user <c>postgres</c> when running as root (Postgres refuses to run as root).</para>
/// <para><see cref="ConnectionString"/> points at a fresh, empty database; <see cref="CreateDatabaseAsync"/> makes
/// more. <see cref="StopAsync"/> and <see cref="StartAgainAsync"/> simulate a database outage (own server only).</para>
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The environment variable naming an existing server to use instead of starting one.</summary>
    public const string ExternalServerVariable = "GATEWAY_TEST_POSTGRES";

    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _stopTimeout = TimeSpan.FromSeconds(30);

    private readonly string _adminConnectionString;
    private readonly string? _rootDirectory;
    private readonly int _port;
    private readonly List<string> _databases = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _running;
    private bool _disposed;

    private PostgresServer(string adminConnectionString, string? rootDirectory, int port)
    {
        _adminConnectionString = adminConnectionString;
        _rootDirectory = rootDirectory;
        _port = port;
    }

    /// <summary>Connection string of the fresh database created by <see cref="StartAsync"/>.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>True when this instance started (and owns) the server process.</summary>
    public bool OwnsServer => _rootDirectory is not null;

    /// <summary>Own server: the temp directory holding its data directory and <c>server.log</c>; otherwise null.</summary>
    public string? DirectoryPath => _rootDirectory;

    /// <summary>The server's TCP port on 127.0.0.1 (own server) or the external server's port.</summary>
    public int Port => _port;

    /// <summary>Starts (or attaches to) a server and creates a fresh database for <see cref="ConnectionString"/>.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken ct = default)
    {
        var external = Environment.GetEnvironmentVariable(ExternalServerVariable);
        PostgresServer server;
        if (!string.IsNullOrWhiteSpace(external))
        {
            var builder = new NpgsqlConnectionStringBuilder(external);
            server = new PostgresServer(external, rootDirectory: null, builder.Port);
        }
        else
        {
            server = await StartProcessAsync(ct);
        }

        return await WithFreshDatabaseAsync(server, ct);
    }

    /// <summary>
    /// Always starts a private server, ignoring <c>GATEWAY_TEST_POSTGRES</c>: for tests that take the database down
    /// with <see cref="StopAsync"/> and <see cref="StartAgainAsync"/>, which a shared CI server cannot allow.
    /// </summary>
    public static async Task<PostgresServer> StartOwnServerAsync(CancellationToken ct = default)
        => await WithFreshDatabaseAsync(await StartProcessAsync(ct), ct);

    /// <summary>Creates another empty database (<c>gw_test_&lt;random&gt;</c>) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var name = "gw_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(ct);
        }

        lock (_databases)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the server (fast shutdown), keeping its data directory and port for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        var root = RequireOwnServer(nameof(StopAsync));
        await _gate.WaitAsync(ct);
        try
        {
            if (!_running)
            {
                return;
            }

            await StopServerAsync(root, ct);
            _running = false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts the stopped server again on the same data directory and port.</summary>
    public async Task StartAgainAsync(CancellationToken ct = default)
    {
        var root = RequireOwnServer(nameof(StartAgainAsync));
        await _gate.WaitAsync(ct);
        try
        {
            if (_running)
            {
                return;
            }

            await StartServerAsync(root, _port, ct);
            await WaitUntilAcceptingAsync(_adminConnectionString, root, ct);
            _running = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Own server: stops it and deletes its directory. External server: drops the databases created here.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_rootDirectory is null)
        {
            await DropDatabasesAsync();
            return;
        }

        try
        {
            if (_running)
            {
                await StopServerAsync(_rootDirectory, CancellationToken.None);
                _running = false;
            }
        }
        finally
        {
            TryDeleteDirectory(_rootDirectory);
        }
    }

    private static async Task<PostgresServer> WithFreshDatabaseAsync(PostgresServer server, CancellationToken ct)
    {
        try
        {
            server.ConnectionString = await server.CreateDatabaseAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<PostgresServer> StartProcessAsync(CancellationToken ct)
    {
        var root = Directory.CreateTempSubdirectory("gw-pg-").FullName;
        try
        {
            if (IsRoot)
            {
                await RunAsync("chown", ["postgres:postgres", root], asPostgres: false, _startTimeout, ct);
            }

            var data = Path.Combine(root, "data");
            var initdb = await RunAsync(
                Path.Combine(BinDirectory, "initdb"),
                ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                asPostgres: true, _startTimeout, ct);
            if (initdb.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed with exit code {initdb.ExitCode}: {initdb.Output}");
            }

            // Port 0 lets the OS pick a free port; another process could take it before Postgres binds it, so
            // a failed start is retried on a new port.
            for (var attempt = 1; ; attempt++)
            {
                var port = FindFreePort();
                var admin = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1",
                    Port = port,
                    Username = "postgres",
                    Database = "postgres",
                    IncludeErrorDetail = true,
                }.ConnectionString;
                try
                {
                    await StartServerAsync(root, port, ct);
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    continue;
                }

                var server = new PostgresServer(admin, root, port) { _running = true };
                try
                {
                    await WaitUntilAcceptingAsync(admin, root, ct);
                }
                catch
                {
                    await server.DisposeAsync();
                    throw;
                }

                return server;
            }
        }
        catch
        {
            if (Directory.Exists(root))
            {
                await TryStopAfterFailureAsync(root);
                TryDeleteDirectory(root);
            }

            throw;
        }
    }

    private static async Task StartServerAsync(string root, int port, CancellationToken ct)
    {
        var options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
                      "-c full_page_writes=off -c max_connections=200";
        var result = await RunAsync(
            Path.Combine(BinDirectory, "pg_ctl"),
            ["-D", Path.Combine(root, "data"), "-l", LogPath(root), "-w", "-t", ((int)_startTimeout.TotalSeconds).ToString(),
             "-o", options, "start"],
            asPostgres: true, _startTimeout + TimeSpan.FromSeconds(5), ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Postgres did not start within {_startTimeout.TotalSeconds:0} s on port {port}: {result.Output}\n{LogTail(root)}");
        }
    }

    private static async Task StopServerAsync(string root, CancellationToken ct)
    {
        var result = await RunAsync(
            Path.Combine(BinDirectory, "pg_ctl"),
            ["-D", Path.Combine(root, "data"), "-m", "fast", "-w", "-t", ((int)_stopTimeout.TotalSeconds).ToString(), "stop"],
            asPostgres: true, _stopTimeout + TimeSpan.FromSeconds(5), ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Postgres did not stop within {_stopTimeout.TotalSeconds:0} s: {result.Output}\n{LogTail(root)}");
        }
    }

    private static async Task TryStopAfterFailureAsync(string root)
    {
        if (!File.Exists(Path.Combine(root, "data", "postmaster.pid")))
        {
            return;
        }

        try
        {
            await RunAsync(
                Path.Combine(BinDirectory, "pg_ctl"),
                ["-D", Path.Combine(root, "data"), "-m", "immediate", "-w", "-t", "10", "stop"],
                asPostgres: true, TimeSpan.FromSeconds(15), CancellationToken.None);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Best effort on a path that is already throwing the original failure.
        }
    }

    /// <summary>pg_ctl -w only checks the socket; wait until a real login succeeds, within the start timeout.</summary>
    private static async Task WaitUntilAcceptingAsync(string adminConnectionString, string root, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < _startTimeout)
        {
            try
            {
                await using var connection = new NpgsqlConnection(
                    new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString);
                await connection.OpenAsync(ct);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
            {
                last = ex;
                await Task.Delay(100, ct);
            }
        }

        throw new InvalidOperationException(
            $"Postgres did not accept connections within {_startTimeout.TotalSeconds:0} s ({last?.Message}): {LogTail(root)}");
    }

    private async Task DropDatabasesAsync()
    {
        string[] names;
        lock (_databases)
        {
            names = [.. _databases];
        }

        if (names.Length == 0)
        {
            return;
        }

        try
        {
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            foreach (var name in names)
            {
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (NpgsqlException)
        {
            // The shared server may already be gone at the end of a CI run; leftover databases are harmless there.
        }
    }

    private string RequireOwnServer(string operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _rootDirectory ?? throw new NotSupportedException(
            $"{operation} needs a server started by the test itself; unset {ExternalServerVariable} to run this test.");
    }

    private static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static string LogPath(string root) => Path.Combine(root, "server.log");

    private static string LogTail(string root)
    {
        try
        {
            var lines = File.ReadAllLines(LogPath(root));
            return "server log tail:\n" + string.Join('\n', lines.TakeLast(20));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(server log unreadable)";
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temp dir is not worth failing a test run for.
        }
    }

    /// <summary>Runs a tool (via <c>runuser -u postgres --</c> when root and <paramref name="asPostgres"/>) with a bounded wait.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IReadOnlyList<string> arguments, bool asPostgres, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (asPostgres && IsRoot)
        {
            start.FileName = "runuser";
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("postgres");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(fileName);
        }
        else
        {
            start.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s.");
        }

        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }
}
