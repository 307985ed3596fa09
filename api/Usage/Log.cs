using Microsoft.Extensions.Logging;

namespace Gateway.Api.Usage;

internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Writing {Count} usage records failed (attempt {Attempt}); retrying in {DelayMs} ms")]
    public static partial void UsageBatchFailed(this ILogger logger, Exception exception, int count, int attempt, double delayMs);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "Shutdown deadline reached: {Count} usage records were journalled for the next start")]
    public static partial void UsageBatchJournalled(this ILogger logger, int count);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Replayed {Count} journalled usage records from {Path}")]
    public static partial void UsageJournalReplayed(this ILogger logger, int count, string path);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Skipped {Count} unreadable lines in usage journal {Path}")]
    public static partial void UsageJournalMalformedLines(this ILogger logger, int count, string path);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "Usage journal {Path} could not be read; will retry")]
    public static partial void UsageJournalUnreadable(this ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning,
        Message = "Usage journal directory {Directory} is in use by another process; journalling into {Fallback}")]
    public static partial void UsageJournalDirectoryBusy(this ILogger logger, string directory, string fallback);
}
