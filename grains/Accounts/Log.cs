using Microsoft.Extensions.Logging;

namespace Gateway.Grains.Accounts;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub account {Login} registered")]
    public static partial void Registered(ILogger logger, string login);

    [LoggerMessage(Level = LogLevel.Information, Message = "Copilot token of {Login} refreshed; next refresh at {NextRefresh:o}")]
    public static partial void TokenRefreshed(ILogger logger, string login, DateTimeOffset nextRefresh);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Copilot token refresh of {Login} failed: {Reason}")]
    public static partial void TokenRefreshFailed(ILogger logger, string login, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model catalogue refresh of {Login} failed: {Reason}")]
    public static partial void CatalogFailed(ILogger logger, string login, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Copilot quota lookup of {Login} failed: {Reason}")]
    public static partial void QuotaFailed(ILogger logger, string login, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub account {Login} cools down for {Seconds} s after an upstream 429")]
    public static partial void CoolingDown(ILogger logger, string login, double seconds);
}
