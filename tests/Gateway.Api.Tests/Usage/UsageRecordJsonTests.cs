using System.Text;
using System.Text.Json;
using Gateway.Api.Usage;

namespace Gateway.Api.Tests.Usage;

/// <summary>The SPEC §15.2 record shape, shared by <c>/v1/usage/events</c> and journal lines.</summary>
public sealed class UsageRecordJsonTests
{
    [Fact]
    public void Write_Record_HasTheSpecFieldsInOrder()
    {
        var record = new UsageRecord
        {
            Id = Guid.Parse("0f8e4e8e-1d7b-4c51-9f7e-2b8f31a6c001"),
            CreatedAt = new DateTimeOffset(2026, 11, 24, 13, 0, 0, 250, TimeSpan.FromHours(1)),
            TraceId = "trace-1",
            SessionId = "sess",
            UserId = "user",
            TenantId = "default",
            KeyId = null,
            Account = "octocat",
            Source = "copilot",
            Endpoint = "messages",
            ProviderName = null,
            Model = "claude-sonnet-4.5",
            Status = 499,
            Initiator = "agent",
            LatencyMs = 1500,
            TtftMs = null,
            InputTokens = 1,
            OutputTokens = 2,
            CacheReadInputTokens = 3,
            CacheCreationInputTokens = 4,
            TotalTokens = 10,
            CostCurrency = "USD",
            CostNanos = 12_345_000,
        };

        Assert.Equal(
            """
            {"id":"0f8e4e8e-1d7b-4c51-9f7e-2b8f31a6c001","created_at":"2026-11-24T12:00:00.250Z","created_at_ms":1795521600250,
            "trace_id":"trace-1","session_id":"sess","user_id":"user","tenant_id":"default","key_id":null,"account":"octocat",
            "source":"copilot","endpoint":"messages","provider_name":null,"model":"claude-sonnet-4.5","status":499,
            "initiator":"agent","latency_ms":1500,"ttft_ms":null,"input_tokens":1,"output_tokens":2,
            "cache_read_input_tokens":3,"cache_creation_input_tokens":4,"total_tokens":10,"cost":{"USD":0.012345}}
            """.ReplaceLineEndings(""),
            Serialize(record));
    }

    [Fact]
    public void TryRead_WrittenRecord_RoundTrips()
    {
        var record = TestRecords.Create(provider: "openrouter", cacheRead: 9, currency: "CNY", costNanos: 1_234_567_891) with { UserId = "ü-user \"quoted\"" };

        Assert.True(UsageRecordJson.TryRead(Encoding.UTF8.GetBytes(Serialize(record)), out var read));
        Assert.Equal(record, read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"id\":\"0f8e4e8e-1d7b-4c51-9f7e-2b8f31a6c001\"")]
    [InlineData("{\"id\":\"not-a-guid\",\"created_at_ms\":1}")]
    [InlineData("[1,2]")]
    public void TryRead_TornOrForeignLine_ReturnsFalse(string line)
        => Assert.False(UsageRecordJson.TryRead(Encoding.UTF8.GetBytes(line), out _));

    private static string Serialize(UsageRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            UsageRecordJson.Write(writer, record);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
