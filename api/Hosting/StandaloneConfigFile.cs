using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Api.Hosting;

/// <summary>
/// Standalone <c>config.json</c> in the data dir (SPEC §0): created with defaults (0600) when missing, rewritten
/// when empty, refused with file/line/position when invalid; default entries of map fields merged in (user entries
/// never overwritten); an admin key generated once when none is set. Writes are atomic (temp file + rename).
/// </summary>
public static class StandaloneConfigFile
{
    public const string FileName = "config.json";

    /// <summary>Top-level fields of SPEC §18; anything else gets one warning.</summary>
    private static readonly HashSet<string> KnownFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "mode", "dataDir", "host", "port", "auth", "allowedOrigins", "useProxyEnv", "upstreams", "githubToken", "copilot",
        "providers", "modelMappings", "extraPrompts", "smallModels", "smallModel", "modelReasoningEfforts", "useMessagesApi",
        "compactUseSmallModel", "claudeAutoModel", "contextManagement", "useResponsesApiContextManagement",
        "modelResponsesApiCompactThresholds", "useResponsesApiWebSocket", "upstreamTransport", "useResponsesApiWebSearch",
        "useFunctionApplyPatch", "messageApiWebSearchModel", "alphaSearchCodexPriority", "alphaSearchModel",
        "messageStartInputTokensFallback", "opencodeModelContextWindow", "claudeTokenMultiplier", "anthropicApiKey",
        "rateLimitSeconds", "rateLimitWait", "manualApproval", "showToken", "usage", "encryptionKey", "cluster", "verbose",
        "startupDeviceFlow",
    };

    /// <summary>Built-in entries of map fields (SPEC §18), merged into the file when missing.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> MapDefaults =
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["modelMappings"] = Messages.ModelMappings.Defaults,
            ["modelReasoningEfforts"] = Messages.ReasoningEffortResolver.Defaults,
        };

    public sealed record PrepareResult(string Path, string? GeneratedAdminKey, IReadOnlyList<string> UnknownFields);

    /// <summary>Creates, repairs and completes the file; throws <see cref="ConfigFileException"/> on invalid JSON.</summary>
    public static PrepareResult Prepare(string dataDir)
    {
        var path = System.IO.Path.Combine(dataDir, FileName);
        JsonObject root;
        var changed = false;
        if (!File.Exists(path) || string.IsNullOrWhiteSpace(File.ReadAllText(path)))
        {
            root = new JsonObject();
            changed = true;
        }
        else
        {
            var text = File.ReadAllText(path);
            try
            {
                root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                    ?? throw new ConfigFileException($"{path}: the top level must be a JSON object.");
            }
            catch (JsonException ex)
            {
                throw new ConfigFileException($"{path}: invalid JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {ex.Message}");
            }
        }

        foreach (var (field, defaults) in MapDefaults)
        {
            if (root[field] is not JsonObject map)
            {
                map = new JsonObject();
                root[field] = map;
                changed = true;
            }
            foreach (var (key, value) in defaults)
            {
                if (!map.ContainsKey(key))
                {
                    map[key] = value;
                    changed = true;
                }
            }
        }

        string? generatedAdminKey = null;
        if (root["auth"] is not JsonObject auth)
        {
            auth = new JsonObject { ["apiKeys"] = new JsonArray() };
            root["auth"] = auth;
            changed = true;
        }
        if (auth["adminApiKey"] is not JsonValue admin || string.IsNullOrWhiteSpace(admin.ToString()))
        {
            generatedAdminKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            auth["adminApiKey"] = generatedAdminKey;
            changed = true;
        }

        if (changed)
        {
            WriteAtomic(path, root);
        }
        var unknown = root.Select(p => p.Key).Where(k => !KnownFields.Contains(k)).ToArray();
        return new PrepareResult(path, generatedAdminKey, unknown);
    }

    public static void WriteAtomic(string path, JsonObject root)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temp, options))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            root.WriteTo(writer);
        }
        File.Move(temp, path, overwrite: true);
    }
}

public sealed class ConfigFileException(string message) : Exception(message);
