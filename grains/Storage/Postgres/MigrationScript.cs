using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Grains.Storage.Postgres;

/// <summary>One versioned SQL script, e.g. <c>0002_gateway.sql</c> → version 2, name <c>0002_gateway</c>.</summary>
internal sealed partial record MigrationScript(int Version, string Name, string Sql)
{
    /// <summary>
    /// The csproj embeds <c>Storage/Migrations/postgres/*.sql</c> under <c>Gateway.Migrations.</c> plus the
    /// folder and file name; MSBuild joins the folder with the platform's separator, so accept '/', '\' and '.'.
    /// </summary>
    private const string ResourcePrefix = "Gateway.Migrations.postgres";

    /// <summary>SHA-256 of the script with line endings normalised, so a CRLF checkout does not look like an edit.</summary>
    public string Checksum => ComputeChecksum(Sql);

    /// <summary>The scripts embedded in Gateway.Grains, in version order.</summary>
    public static IReadOnlyList<MigrationScript> LoadEmbedded()
    {
        var assembly = typeof(MigrationScript).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (resource.Length <= ResourcePrefix.Length + 1
                || !resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                || resource[ResourcePrefix.Length] is not ('.' or '/' or '\\'))
            {
                continue;
            }

            var fileName = resource[(ResourcePrefix.Length + 1)..];
            scripts.Add(FromFile(fileName, ReadResource(assembly, resource)));
        }

        return Ordered(scripts);
    }

    /// <summary>Parses <paramref name="fileName"/> (<c>NNNN_name.sql</c>) into a script.</summary>
    public static MigrationScript FromFile(string fileName, string sql)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new InvalidOperationException(
                $"Migration file '{fileName}' is not named like '0001_description.sql'.");
        }

        var version = int.Parse(match.Groups["version"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        return new MigrationScript(version, match.Groups["name"].Value, sql);
    }

    /// <summary>Sorts by version and rejects two scripts claiming the same version.</summary>
    public static IReadOnlyList<MigrationScript> Ordered(IEnumerable<MigrationScript> scripts)
    {
        var ordered = scripts.OrderBy(s => s.Version).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Version == ordered[i - 1].Version)
            {
                throw new InvalidOperationException(
                    $"Migrations '{ordered[i - 1].Name}' and '{ordered[i].Name}' have the same version {ordered[i].Version}.");
            }
        }

        return ordered;
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded migration '{resource}' could not be opened.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string ComputeChecksum(string sql)
    {
        var normalised = sql.ReplaceLineEndings("\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }

    [GeneratedRegex(@"^(?<name>(?<version>[0-9]{1,9})_[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
