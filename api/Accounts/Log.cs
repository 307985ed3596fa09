namespace Gateway.Api.Accounts;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub account {Login} cannot serve: {Reason}")]
    public static partial void LeaseUnavailable(ILogger logger, string login, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model catalogue of {Login} is not valid JSON: {Reason}")]
    public static partial void CatalogUnreadable(ILogger logger, string login, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the account directory failed: {Reason}")]
    public static partial void DirectoryFailed(ILogger logger, string reason);
}
