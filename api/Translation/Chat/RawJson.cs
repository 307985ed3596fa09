using System.Runtime.InteropServices;
using System.Text.Json;

namespace Gateway.Api.Translation.Chat;

internal static class RawJson
{
    /// <summary>
    /// Copies an upstream value (a string token, usually) exactly as it was received: it is already valid JSON, so
    /// it is neither decoded nor re-escaped. The element's document must stay alive until the writer has written it.
    /// </summary>
    public static void Write(JsonElement value, Utf8JsonWriter writer)
        => writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
}
