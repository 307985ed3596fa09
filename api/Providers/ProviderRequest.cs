namespace Gateway.Api.Providers;

/// <summary>One upstream call to a provider: endpoint (<c>/messages</c>, <c>/chat/completions</c>, …), body and extra headers.</summary>
public sealed record ProviderRequest
{
    /// <summary>The endpoint after <c>/v1</c>, e.g. <c>/chat/completions</c> (see <see cref="Provider.Url"/>).</summary>
    public required string Endpoint { get; init; }

    public HttpMethod Method { get; init; } = HttpMethod.Post;

    /// <summary>The JSON body; null for a GET.</summary>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>Headers taken from the client on purpose (<c>anthropic-version</c>, <c>anthropic-beta</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];
}
