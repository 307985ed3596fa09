using System.Diagnostics.CodeAnalysis;

namespace Gateway.Api.Messages;

/// <summary>
/// <c>model: "&lt;provider&gt;/&lt;model&gt;"</c> aliases (SPEC §13.1): the prefix up to the first <c>/</c> names the
/// provider and is stripped; a <c>/</c> as the first or last character makes no alias.
/// </summary>
public static class ProviderAlias
{
    public static bool TryParse(string model, [NotNullWhen(true)] out string? provider, [NotNullWhen(true)] out string? providerModel)
    {
        var slash = model.IndexOf('/');
        if (slash <= 0 || model[^1] == '/')
        {
            provider = null;
            providerModel = null;
            return false;
        }
        provider = model[..slash];
        providerModel = model[(slash + 1)..];
        return true;
    }
}
