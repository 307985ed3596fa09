using System.Net;
using Gateway.Grains.Options;
using Microsoft.Extensions.Options;

namespace Gateway.Api.Forwarding;

/// <summary>
/// The one <see cref="HttpMessageInvoker"/> the hot path sends upstream requests with, over a tuned
/// <see cref="SocketsHttpHandler"/> (as YARP's forwarder does): no automatic decompression (bytes pass through as
/// they came), no cookies, no redirects, no total timeout (streams may run long; idle timeouts are applied per read).
/// </summary>
public sealed class UpstreamInvoker : IDisposable
{
    public UpstreamInvoker(IOptions<GatewayOptions> options)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            EnableMultipleHttp2Connections = true,
            MaxConnectionsPerServer = int.MaxValue,
            ActivityHeadersPropagator = null,
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
        HeadersTimeout = TimeSpan.FromMilliseconds(options.Value.UpstreamTransport.HeadersTimeoutMs);
        IdleTimeout = TimeSpan.FromMilliseconds(options.Value.UpstreamTransport.StreamInactivityTimeoutMs);
    }

    public HttpMessageInvoker Invoker { get; }

    /// <summary>No response headers within this time → 504.</summary>
    public TimeSpan HeadersTimeout { get; }

    /// <summary>No bytes from an upstream body for this long → the stream fails.</summary>
    public TimeSpan IdleTimeout { get; }

    public void Dispose() => Invoker.Dispose();
}
