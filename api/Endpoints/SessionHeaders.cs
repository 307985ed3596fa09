namespace Gateway.Api.Endpoints;

/// <summary>Root session of the OpenAI-dialect routes (SPEC §4.2): headers only.</summary>
public static class SessionHeaders
{
    private static readonly string[] ChatHeaders = ["x-root-session-id", "x-session-id"];

    /// <summary>The root session UUID from <c>x-root-session-id</c> / <c>x-session-id</c>, or null.</summary>
    public static string? InteractionId(IHeaderDictionary headers)
    {
        foreach (var name in ChatHeaders)
        {
            var value = headers[name].ToString();
            if (!string.IsNullOrWhiteSpace(value))
            {
                return Messages.RootSession.DeriveUuid(value.Trim());
            }
        }
        return null;
    }
}
