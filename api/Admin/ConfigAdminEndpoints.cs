using System.Text.Json;

namespace Gateway.Api.Admin;

/// <summary><c>GET</c>/<c>POST /admin/config/model-mappings</c> (SPEC §13.3).</summary>
internal static class ConfigAdminEndpoints
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/config/model-mappings", (ModelMappingsStore store) => Write(store, store.Current));
        admin.MapPost("/config/model-mappings", ReplaceModelMappingsAsync);
    }

    private static async Task<IResult> ReplaceModelMappingsAsync(HttpRequest request, ModelMappingsStore store)
    {
        var (document, error) = await AdminRequestBody.ReadObjectAsync(request, allowEmpty: false);
        Dictionary<string, string> mappings;
        using (document)
        {
            if (document is null)
            {
                return AdminResults.BadRequest(error!);
            }
            if (!document.RootElement.TryGetProperty("modelMappings", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                return AdminResults.BadRequest("modelMappings must be an object");
            }
            mappings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                {
                    return AdminResults.BadRequest($"modelMappings.{entry.Name} must be a string");
                }
                mappings[entry.Name] = entry.Value.GetString()!;
            }
        }
        return Write(store, await store.ReplaceAsync(mappings, request.HttpContext.RequestAborted));
    }

    private static IResult Write(ModelMappingsStore store, IReadOnlyDictionary<string, string> mappings) => AdminResults.Ok(w =>
    {
        w.WriteStartObject();
        if (store.ConfigPath is { } path)
        {
            w.WriteString("configPath", path);
        }
        else
        {
            w.WriteNull("configPath");
        }
        AdminJson.WriteStringMap(w, "modelMappings", mappings);
        w.WriteEndObject();
    });
}
