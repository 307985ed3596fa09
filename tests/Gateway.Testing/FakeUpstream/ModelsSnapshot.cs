using System.Text.Json;

namespace Gateway.Testing.FakeUpstream;

/// <summary>A catalogue and its two list answers, serialised once when the catalogue is set.</summary>
internal sealed class ModelsSnapshot(IReadOnlyList<FakeModel> models)
{
    public IReadOnlyList<FakeModel> Models { get; } = models;

    /// <summary>Copilot's <c>GET /models</c>: <c>{"data":[…],"object":"list"}</c> (SPEC §2.5).</summary>
    public byte[] CopilotJson { get; } = FakeJson.Serialize(models, WriteCopilotList);

    /// <summary>An OpenAI-compatible provider's <c>GET /v1/models</c>.</summary>
    public byte[] OpenAiJson { get; } = FakeJson.Serialize(models, WriteOpenAiList);

    private static void WriteCopilotList(Utf8JsonWriter writer, IReadOnlyList<FakeModel> models)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        foreach (var model in models)
        {
            WriteCopilotModel(writer, model);
        }

        writer.WriteEndArray();
        writer.WriteString("object", "list");
        writer.WriteEndObject();
    }

    private static void WriteCopilotModel(Utf8JsonWriter writer, FakeModel model)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("capabilities");
        writer.WriteString("family", model.Family ?? model.Id);
        writer.WriteStartObject("limits");
        writer.WriteIfNotNull("max_context_window_tokens", model.MaxContextWindowTokens);
        writer.WriteIfNotNull("max_output_tokens", model.MaxOutputTokens);
        writer.WriteIfNotNull("max_prompt_tokens", model.MaxPromptTokens);
        if (model.VisionMaxPromptImageSize is { } imageSize)
        {
            writer.WriteStartObject("vision");
            writer.WriteNumber("max_prompt_image_size", imageSize);
            writer.WriteNumber("max_prompt_images", 1);
            writer.WriteStringArray("supported_media_types", ["image/jpeg", "image/png", "image/webp", "image/gif"]);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteString("object", "model_capabilities");
        writer.WriteStartObject("supports");
        writer.WriteIfNotNull("tool_calls", model.ToolCalls);
        writer.WriteIfNotNull("vision", model.Vision);
        writer.WriteIfNotNull("streaming", model.Streaming);
        writer.WriteIfNotNull("parallel_tool_calls", model.ParallelToolCalls);
        writer.WriteIfNotNull("adaptive_thinking", model.AdaptiveThinking);
        if (model.ReasoningEfforts is { } efforts)
        {
            writer.WriteStringArray("reasoning_effort", efforts);
        }

        writer.WriteIfNotNull("min_thinking_budget", model.MinThinkingBudget);
        writer.WriteIfNotNull("max_thinking_budget", model.MaxThinkingBudget);
        writer.WriteEndObject();
        writer.WriteString("tokenizer", model.Tokenizer);
        writer.WriteString("type", model.Type);
        writer.WriteEndObject();

        writer.WriteString("id", model.Id);
        writer.WriteBoolean("model_picker_enabled", model.ModelPickerEnabled);
        writer.WriteString("name", model.Name ?? model.Id);
        writer.WriteString("object", "model");
        if (model.PolicyState is { } policy)
        {
            writer.WriteStartObject("policy");
            writer.WriteString("state", policy);
            writer.WriteString("terms", $"Enable access to {model.Name ?? model.Id}.");
            writer.WriteEndObject();
        }

        writer.WriteBoolean("preview", model.Preview);
        writer.WriteStringArray("supported_endpoints", model.SupportedEndpoints);
        writer.WriteString("vendor", model.Vendor);
        writer.WriteString("version", model.Version ?? model.Id);
        writer.WriteEndObject();
    }

    private static void WriteOpenAiList(Utf8JsonWriter writer, IReadOnlyList<FakeModel> models)
    {
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var model in models)
        {
            writer.WriteStartObject();
            writer.WriteString("id", model.Id);
            writer.WriteString("object", "model");
            writer.WriteNumber("created", 1_700_000_000);
            writer.WriteString("owned_by", model.Vendor);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
