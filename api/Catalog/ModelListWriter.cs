using System.Text.Json;

namespace Gateway.Api.Catalog;

/// <summary>
/// <c>GET /v1/models</c> (SPEC §11.4): envelope <c>{"object":"list","data":[…],"has_more":false,"first_id","last_id"}</c>;
/// each Copilot item keeps every upstream field and gains the OpenAI/Anthropic-friendly ones.
/// </summary>
public static class ModelListWriter
{
    private static readonly HashSet<string> Overridden = new(StringComparer.Ordinal)
    {
        "id", "object", "type", "created", "created_at", "owned_by", "display_name", "claude_model_id",
    };

    public static void Write(Utf8JsonWriter writer, ModelCatalog catalog)
    {
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        for (var i = 0; i < catalog.Models.Count; i++)
        {
            var model = catalog.Models[i];
            writer.WriteStartObject();
            foreach (var property in catalog.RawEntries[i].EnumerateObject())
            {
                if (!Overridden.Contains(property.Name))
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteString("id", model.Id);
            writer.WriteString("object", "model");
            writer.WriteString("type", "model");
            writer.WriteNumber("created", 0);
            writer.WriteString("created_at", "1970-01-01T00:00:00.000Z");
            writer.WriteString("owned_by", model.Vendor ?? "");
            writer.WriteString("display_name", model.Name ?? model.Id);
            writer.WriteString("claude_model_id", model.MaxContextWindowTokens >= 1_000_000 ? model.Id + "[1m]" : model.Id);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteBoolean("has_more", false);
        if (catalog.Models.Count > 0)
        {
            writer.WriteString("first_id", catalog.Models[0].Id);
            writer.WriteString("last_id", catalog.Models[^1].Id);
        }
        else
        {
            writer.WriteNull("first_id");
            writer.WriteNull("last_id");
        }
        writer.WriteEndObject();
    }
}
