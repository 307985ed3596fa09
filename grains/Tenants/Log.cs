using Microsoft.Extensions.Logging;

namespace Gateway.Grains.Tenants;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Device flow could not start: {Reason}")]
    public static partial void DeviceFlowFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device flow poll failed, polling on: {Reason}")]
    public static partial void DeviceFlowPollFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device flow finished: {Status} (account {Login})")]
    public static partial void DeviceFlowFinished(ILogger logger, string status, string? login);
}
