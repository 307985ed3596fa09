using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Gateway.Api.Hosting;

/// <summary>
/// Reads standalone <c>config.json</c> (SPEC §0): the same field names as the <c>Gateway</c> section, but at the top
/// level, so every key is read as <c>Gateway:&lt;key&gt;</c>. Reloads when the file changes.
/// </summary>
public sealed class PrefixedJsonFileConfigurationSource : FileConfigurationSource
{
    public string Prefix { get; init; } = "Gateway";

    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new PrefixedJsonFileConfigurationProvider(this);
    }
}

public sealed class PrefixedJsonFileConfigurationProvider(PrefixedJsonFileConfigurationSource source) : FileConfigurationProvider(source)
{
    public override void Load(Stream stream)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        using var doc = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (doc.RootElement.ValueKind == JsonValueKind.Object)
        {
            Flatten(doc.RootElement, source.Prefix, data);
        }
        Data = data;
    }

    private static void Flatten(JsonElement element, string path, Dictionary<string, string?> data)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, path + ConfigurationPath.KeyDelimiter + property.Name, data);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, path + ConfigurationPath.KeyDelimiter + index++, data);
                }
                break;
            case JsonValueKind.Null:
                data[path] = null;
                break;
            case JsonValueKind.String:
                data[path] = element.GetString();
                break;
            default:
                data[path] = element.GetRawText();
                break;
        }
    }
}
