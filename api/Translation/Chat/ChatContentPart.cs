namespace Gateway.Api.Translation.Chat;

internal enum ChatPartKind : byte
{
    Text,
    /// <summary><see cref="ChatContentPart.Value"/> is a URL, or base64 data when <see cref="ChatContentPart.MediaType"/> is set.</summary>
    ImageUrl,
    /// <summary>A PDF: <see cref="ChatContentPart.Value"/> is base64 data, written as a data URL in <c>file_data</c>.</summary>
    File,
}

/// <summary>
/// One part of a Chat Completions message's content. Data URLs are kept as media type + base64 so the (possibly
/// megabytes long) URL is written in segments instead of being concatenated into a new string.
/// </summary>
internal readonly record struct ChatContentPart(ChatPartKind Kind, string Value, string? MediaType = null, string? Filename = null)
{
    public static ChatContentPart FromText(string text) => new(ChatPartKind.Text, text);
}
