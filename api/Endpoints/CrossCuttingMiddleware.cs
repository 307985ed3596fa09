using System.Text.RegularExpressions;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Endpoints;

/// <summary>
/// SPEC §1.3: <c>x-trace-id</c> on every response (the inbound one when well-formed, else a new id) and CORS for
/// loopback origins plus <c>allowedOrigins</c>; OPTIONS preflights are always answered and need no key.
/// </summary>
public sealed partial class CrossCuttingMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
{
    public const string TraceIdItem = "gw.trace";
    private const string AllowedHeaders = "content-type, authorization, x-api-key, anthropic-version, anthropic-beta";
    private readonly HashSet<string> _allowedOrigins = new(options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context)
    {
        var inbound = context.Request.Headers["x-trace-id"].ToString();
        var traceId = inbound.Length is > 0 and <= 128 && TraceIdPattern().IsMatch(inbound) ? inbound : Guid.NewGuid().ToString("N");
        context.Items[TraceIdItem] = traceId;
        context.Response.Headers["x-trace-id"] = traceId;

        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && IsAllowedOrigin(origin))
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.Vary = "Origin";
        }
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            context.Response.Headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
            context.Response.Headers.AccessControlAllowHeaders = AllowedHeaders;
            context.Response.Headers.AccessControlMaxAge = "600";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
        return next(context);
    }

    private bool IsAllowedOrigin(string origin)
    {
        if (_allowedOrigins.Contains(origin.TrimEnd('/')))
        {
            return true;
        }
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && (uri.IsLoopback || uri.Host is "localhost" or "[::1]");
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex TraceIdPattern();
}
