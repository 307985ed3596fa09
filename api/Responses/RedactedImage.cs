namespace Gateway.Api.Responses;

/// <summary>
/// The small built-in PNG that replaces an oversized data-URL image (SPEC §11.2): 182×52 grey-scale, reading
/// "IMAGE TOO LARGE / REDACTED", sent with <c>detail: "low"</c> so it costs the fewest image tokens.
/// </summary>
public static class RedactedImage
{
    /// <summary>The data URL as a JSON string token (quotes included), ready to splice into a body.</summary>
    public static ReadOnlySpan<byte> DataUrlJson => "\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAALYAAAA0CAAAAAAC450LAAAA60lEQVR42u2YjQrDMAiEff+X3thgS9TTNLSM6i7Q5qc1fpBco5VHySLEJjaxif332PIur/rTn0d1W75lmkiNYbvxru7Zedf+qmPPoOM+nqC2WzrxtR2L2nv++mDrC5n+Ehv764k9pDD6VjpnsWcfswwzf52w9yVy3SbJ5iD29ZKMOfpgo8MdHfRWqvjQXh3uWur7/qpjM94mNrGJTex+2D7JRYHlOo2NbYmdJ1BHwy9UR2PEPoOdIRJ7R5Ie2welHhHbEtu6XS30Tfd2UWybopb5ABbFRtKLJGYSV8l/oBGb8TaxiU1sYt+qPAG6TYYuePJF/QAAAABJRU5ErkJggg==\""u8;
}
