namespace Gateway.Grains.Tests.Sqlite;

/// <summary>
/// A database path inside a fresh temporary directory that does not exist yet (the migrator must create it);
/// disposing deletes the whole directory.
/// </summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string _root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gw-sqlite-" + Guid.NewGuid().ToString("N")[..12]);

    public TempDatabase()
    {
        Directory = System.IO.Path.Combine(_root, "data");
        Path = System.IO.Path.Combine(Directory, "gateway.db");
    }

    /// <summary>The data directory holding the file; not created until something migrates the database.</summary>
    public string Directory { get; }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
