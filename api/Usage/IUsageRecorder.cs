namespace Gateway.Api.Usage;

/// <summary>
/// Where the request path hands each finished request's record (DESIGN §2 step 6). Must not block: implementations
/// update metrics at once and queue the record for durable, batched writing.
/// </summary>
public interface IUsageRecorder
{
    void Record(UsageRecord record);
}
