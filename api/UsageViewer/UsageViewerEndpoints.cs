using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Api.UsageViewer;

/// <summary>
/// <c>GET /usage-viewer</c>: one static, self-contained page (SPEC §15.4). Its inline script and style are allowed by
/// their SHA-256 hashes, so the Content-Security-Policy admits nothing but this page's own code and same-origin
/// requests.
/// </summary>
public static partial class UsageViewerEndpoints
{
    public const string Path = "/usage-viewer";
    private const string ResourceName = "Gateway.UsageViewer.usage-viewer.html";

    private static readonly Lazy<(byte[] Body, string Policy)> _page = new(Load);

    public static IEndpointRouteBuilder MapUsageViewer(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, ServeAsync);
        return routes;
    }

    /// <summary>The Content-Security-Policy the page is served with.</summary>
    public static string ContentSecurityPolicy => _page.Value.Policy;

    private static async Task ServeAsync(HttpContext context)
    {
        var response = context.Response;
        // Routing matches "/usage-viewer/" here too; the spec wants one canonical URL.
        if (context.Request.Path.Value is { } path && path.EndsWith('/'))
        {
            response.StatusCode = StatusCodes.Status301MovedPermanently;
            response.Headers.Location = context.Request.PathBase + Path + context.Request.QueryString;
            return;
        }
        var (body, policy) = _page.Value;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = policy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-cache";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static (byte[] Body, string Policy) Load()
    {
        using var stream = typeof(UsageViewerEndpoints).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var html = reader.ReadToEnd();
        var scripts = Hashes(ScriptBlock().Matches(html));
        var styles = Hashes(StyleBlock().Matches(html));
        var policy = $"default-src 'none'; script-src {scripts}; style-src {styles}; connect-src 'self'; img-src 'self' data:; " +
                     "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return (Encoding.UTF8.GetBytes(html), policy);
    }

    private static string Hashes(MatchCollection blocks)
        => string.Join(' ', blocks.Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'"));

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();
}
