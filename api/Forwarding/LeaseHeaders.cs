using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.GitHub;
using Gateway.Grains.Options;

namespace Gateway.Api.Forwarding;

/// <summary>
/// What every Copilot request of one lease shares, computed once per lease instead of once per request: the common
/// header values of SPEC §2.4 (<see cref="CopilotHeaders.ApplyCommon"/>: <c>Bearer</c> token, editor and plugin
/// versions, device and session ids) and the request URI of each upstream path. The account pool hands out the same
/// lease instance until the token is renewed, so entries are keyed by the lease object and die with it.
/// </summary>
internal sealed class LeaseHeaders
{
    private static readonly ConditionalWeakTable<AccountLease, LeaseHeaders> Cache = new();

    private readonly ConcurrentDictionary<string, Uri> _uris = new(StringComparer.Ordinal);
    private readonly string _baseUrl;

    private LeaseHeaders(string baseUrl, string editorVersion, KeyValuePair<string, string>[] common)
    {
        _baseUrl = baseUrl;
        EditorVersion = editorVersion;
        Common = common;
    }

    /// <summary>The editor version the values were built with; a newer one (looked up at run time) rebuilds them.</summary>
    public string EditorVersion { get; }

    /// <summary>The common headers, in the order <see cref="CopilotHeaders.ApplyCommon"/> adds them.</summary>
    public KeyValuePair<string, string>[] Common { get; }

    public static LeaseHeaders For(AccountLease lease, CopilotOptions copilot, string editorVersion)
    {
        if (Cache.TryGetValue(lease, out var cached) && string.Equals(cached.EditorVersion, editorVersion, StringComparison.Ordinal))
        {
            return cached;
        }
        var built = Build(lease, copilot, editorVersion);
        Cache.AddOrUpdate(lease, built);
        return built;
    }

    /// <summary>The lease's base URL plus <paramref name="path"/>, parsed once.</summary>
    public Uri UriFor(string path) => _uris.TryGetValue(path, out var uri) ? uri : _uris.GetOrAdd(path, static (p, baseUrl) => new Uri(baseUrl + p), _baseUrl);

    private static LeaseHeaders Build(AccountLease lease, CopilotOptions copilot, string editorVersion)
    {
        using var scratch = new HttpRequestMessage();
        CopilotHeaders.ApplyCommon(scratch.Headers, new CopilotHeaderContext(lease.CopilotBaseUrl, lease.CopilotToken, lease.MachineId, lease.DeviceId, lease.VscodeSessionId),
            copilot, editorVersion);
        var common = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in scratch.Headers.NonValidated)
        {
            foreach (var value in values)
            {
                common.Add(new(name, value));
            }
        }
        return new LeaseHeaders(lease.CopilotBaseUrl, editorVersion, [.. common]);
    }

    /// <summary>Adds the common headers to a request, leaving out <paramref name="omit"/> (a header name) when given.</summary>
    public void ApplyTo(HttpRequestHeaders headers, string? omit)
    {
        foreach (var (name, value) in Common)
        {
            if (omit is null || !string.Equals(name, omit, StringComparison.OrdinalIgnoreCase))
            {
                headers.TryAddWithoutValidation(name, value);
            }
        }
    }
}
