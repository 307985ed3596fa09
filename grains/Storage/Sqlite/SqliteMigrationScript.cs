using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Grains.Storage.Sqlite;

/// <summary>One versioned SQLite migration: <c>0001_gateway.sql</c> is version 1 named <c>0001_gateway</c>.</summary>
internal sealed record SqliteMigrationScript(int Version, string Name, string Sql)
{
    /// <summary>
    /// Gateway.Grains.csproj embeds <c>Storage/Migrations/**/*.sql</c> as <c>Gateway.Migrations.</c> + folder + file;
    /// MSBuild writes the folder with the build machine's separator, so '/', '\' and '.' all follow the folder.
    /// </summary>
    private const string ResourceFolder = "Gateway.Migrations.sqlite";

    /// <summary>SHA-256 of the script with CRLF folded to LF, so a Windows checkout does not read as an edit.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(
        SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>The SQLite scripts embedded in Gateway.Grains, in version order.</summary>
    public static IReadOnlyList<SqliteMigrationScript> LoadEmbedded()
    {
        var assembly = typeof(SqliteMigrationScript).Assembly;
        var scripts = new List<SqliteMigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (resource.Length <= ResourceFolder.Length + 1
                || !resource.StartsWith(ResourceFolder, StringComparison.Ordinal)
                || resource[ResourceFolder.Length] is not ('/' or '\\' or '.'))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded migration '{resource}' could not be opened.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(Parse(resource[(ResourceFolder.Length + 1)..], reader.ReadToEnd()));
        }

        return InVersionOrder(scripts);
    }

    /// <summary>Reads the version from a <c>NNNN_description.sql</c> file name.</summary>
    public static SqliteMigrationScript Parse(string fileName, string sql)
    {
        var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0
            || !fileName.EndsWith(".sql", StringComparison.Ordinal)
            || !int.TryParse(fileName.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"Migration file '{fileName}' is not named like '0001_description.sql'.");
        }

        return new SqliteMigrationScript(version, fileName[..^".sql".Length], sql);
    }

    /// <summary>Sorts by version; two scripts with one version would make the applied set ambiguous.</summary>
    public static IReadOnlyList<SqliteMigrationScript> InVersionOrder(IEnumerable<SqliteMigrationScript> scripts)
    {
        var ordered = scripts.OrderBy(s => s.Version).ToArray();
        for (var i = 1; i < ordered.Length; i++)
        {
            if (ordered[i].Version == ordered[i - 1].Version)
            {
                throw new InvalidOperationException(
                    $"Migrations '{ordered[i - 1].Name}' and '{ordered[i].Name}' share version {ordered[i].Version}.");
            }
        }

        return ordered;
    }
}
