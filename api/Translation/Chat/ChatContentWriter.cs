using System.Text.Json;

namespace Gateway.Api.Translation.Chat;

/// <summary>
/// Writes a planned message's <c>content</c> (SPEC §5): a string of texts joined with <c>\n\n</c> unless media
/// (or <c>array</c> tool support) needs parts; a context-cache breakpoint (SPEC §13.4) turns a string into a
/// one-part text array and marks the last part. Joined texts and data URLs are written in segments, never concatenated.
/// </summary>
internal static class ChatContentWriter
{
    private const string Separator = "\n\n";

    public static void WriteContent(ChatMessagePlan plan, Utf8JsonWriter writer)
    {
        var parts = plan.Parts;
        if (parts.Count == 0)
        {
            writer.WriteStringValue(""u8);
            return;
        }
        var asParts = plan.ForceArray || plan.HasMedia;
        if (!asParts && !plan.CacheBreakpoint)
        {
            WriteJoined(parts, writer);
            return;
        }
        writer.WriteStartArray();
        if (!asParts)
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text"u8);
            writer.WritePropertyName("text"u8);
            WriteJoined(parts, writer);
            WriteCacheControl(writer);
            writer.WriteEndObject();
        }
        else
        {
            for (var i = 0; i < parts.Count; i++)
            {
                WritePart(parts[i], plan.CacheBreakpoint && i == parts.Count - 1, writer);
            }
        }
        writer.WriteEndArray();
    }

    public static void WriteJoined(List<ChatContentPart> parts, Utf8JsonWriter writer)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                writer.WriteStringValueSegment(Separator, isFinalSegment: false);
            }
            writer.WriteStringValueSegment(parts[i].Value, isFinalSegment: false);
        }
        writer.WriteStringValueSegment(ReadOnlySpan<char>.Empty, isFinalSegment: true);
    }

    public static void WriteJoined(List<string> texts, Utf8JsonWriter writer)
    {
        for (var i = 0; i < texts.Count; i++)
        {
            if (i > 0)
            {
                writer.WriteStringValueSegment(Separator, isFinalSegment: false);
            }
            writer.WriteStringValueSegment(texts[i], isFinalSegment: false);
        }
        writer.WriteStringValueSegment(ReadOnlySpan<char>.Empty, isFinalSegment: true);
    }

    private static void WritePart(ChatContentPart part, bool cacheBreakpoint, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        switch (part.Kind)
        {
            case ChatPartKind.Text:
                writer.WriteString("type"u8, "text"u8);
                writer.WriteString("text"u8, part.Value);
                break;
            case ChatPartKind.ImageUrl:
                writer.WriteString("type"u8, "image_url"u8);
                writer.WriteStartObject("image_url"u8);
                writer.WritePropertyName("url"u8);
                WriteUrl(part, writer);
                writer.WriteEndObject();
                break;
            case ChatPartKind.File:
                writer.WriteString("type"u8, "file"u8);
                writer.WriteStartObject("file"u8);
                writer.WriteString("filename"u8, part.Filename);
                writer.WritePropertyName("file_data"u8);
                WriteUrl(part, writer);
                writer.WriteEndObject();
                break;
        }
        if (cacheBreakpoint)
        {
            WriteCacheControl(writer);
        }
        writer.WriteEndObject();
    }

    /// <summary><c>data:&lt;media_type&gt;;base64,&lt;data&gt;</c> for base64 sources; the URL itself otherwise.</summary>
    private static void WriteUrl(ChatContentPart part, Utf8JsonWriter writer)
    {
        if (part.MediaType is null)
        {
            writer.WriteStringValue(part.Value);
            return;
        }
        writer.WriteStringValueSegment("data:", isFinalSegment: false);
        writer.WriteStringValueSegment(part.MediaType, isFinalSegment: false);
        writer.WriteStringValueSegment(";base64,", isFinalSegment: false);
        writer.WriteStringValueSegment(part.Value, isFinalSegment: true);
    }

    private static void WriteCacheControl(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("cache_control"u8);
        writer.WriteString("type"u8, "ephemeral"u8);
        writer.WriteEndObject();
    }
}
