namespace Gateway.Api.Translation.Chat;

/// <summary>
/// What a provider accepts inside a <c>tool</c> message's content (SPEC §13.4 <c>toolContentSupportType</c>).
/// <see cref="None"/> (the default) sends tool results as plain strings.
/// </summary>
[Flags]
public enum ToolContentSupport
{
    None = 0,
    /// <summary><c>array</c>: content may be an array of parts.</summary>
    Array = 1,
    /// <summary><c>image</c>: <c>image_url</c> parts may stay inside the tool message.</summary>
    Image = 2,
    /// <summary><c>pdf</c>: PDF <c>file</c> parts may stay inside the tool message.</summary>
    Pdf = 4,
}
