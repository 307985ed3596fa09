using System.Globalization;
using System.Text.Json;

namespace Gateway.Api.Usage;

/// <summary>
/// A usage record as JSON with the field names of SPEC §15.2, for <c>/v1/usage/events</c> and for journal lines.
/// Written and read on UTF-8 bytes; <c>created_at_ms</c> is authoritative when reading.
/// </summary>
public static class UsageRecordJson
{
    public static void Write(Utf8JsonWriter writer, UsageRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("id", record.Id);
        var createdAt = record.CreatedAt.ToUniversalTime();
        writer.WriteString("created_at", createdAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteNumber("created_at_ms", createdAt.ToUnixTimeMilliseconds());
        writer.WriteString("trace_id", record.TraceId);
        writer.WriteString("session_id", record.SessionId);
        writer.WriteString("user_id", record.UserId);
        writer.WriteString("tenant_id", record.TenantId);
        WriteNullable(writer, "key_id", record.KeyId);
        writer.WriteString("account", record.Account);
        writer.WriteString("source", record.Source);
        writer.WriteString("endpoint", record.Endpoint);
        WriteNullable(writer, "provider_name", record.ProviderName);
        writer.WriteString("model", record.Model);
        writer.WriteNumber("status", record.Status);
        WriteNullable(writer, "initiator", record.Initiator);
        writer.WriteNumber("latency_ms", record.LatencyMs);
        if (record.TtftMs is { } ttft)
        {
            writer.WriteNumber("ttft_ms", ttft);
        }
        else
        {
            writer.WriteNull("ttft_ms");
        }
        writer.WriteNumber("input_tokens", record.InputTokens);
        writer.WriteNumber("output_tokens", record.OutputTokens);
        writer.WriteNumber("cache_read_input_tokens", record.CacheReadInputTokens);
        writer.WriteNumber("cache_creation_input_tokens", record.CacheCreationInputTokens);
        writer.WriteNumber("total_tokens", record.TotalTokens);
        record.Cost.WriteTo(writer);
        writer.WriteEndObject();
    }

    /// <summary>Reads one object written by <see cref="Write"/>; false when required fields are missing.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out UsageRecord? record)
    {
        record = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            Guid? id = null;
            long? createdAtMs = null;
            string? traceId = null, tenantId = null, endpoint = null, model = null;
            string sessionId = "", userId = "", account = "", source = "copilot";
            string? keyId = null, providerName = null, initiator = null;
            int? status = null, latency = null, ttft = null;
            long input = 0, output = 0, cacheRead = 0, cacheCreation = 0, total = 0, costNanos = 0;
            string? costCurrency = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                var isNull = reader.TokenType == JsonTokenType.Null;
                switch (name)
                {
                    case "id": id = reader.GetGuid(); break;
                    case "created_at_ms": createdAtMs = reader.GetInt64(); break;
                    case "trace_id": traceId = reader.GetString(); break;
                    case "session_id": sessionId = reader.GetString() ?? ""; break;
                    case "user_id": userId = reader.GetString() ?? ""; break;
                    case "tenant_id": tenantId = reader.GetString(); break;
                    case "key_id": keyId = reader.GetString(); break;
                    case "account": account = reader.GetString() ?? ""; break;
                    case "source": source = reader.GetString() ?? "copilot"; break;
                    case "endpoint": endpoint = reader.GetString(); break;
                    case "provider_name": providerName = reader.GetString(); break;
                    case "model": model = reader.GetString(); break;
                    case "status": status = reader.GetInt32(); break;
                    case "initiator": initiator = reader.GetString(); break;
                    case "latency_ms": latency = reader.GetInt32(); break;
                    case "ttft_ms": ttft = isNull ? null : reader.GetInt32(); break;
                    case "input_tokens": input = reader.GetInt64(); break;
                    case "output_tokens": output = reader.GetInt64(); break;
                    case "cache_read_input_tokens": cacheRead = reader.GetInt64(); break;
                    case "cache_creation_input_tokens": cacheCreation = reader.GetInt64(); break;
                    case "total_tokens": total = reader.GetInt64(); break;
                    case "cost" when reader.TokenType == JsonTokenType.StartObject:
                        // A record has one currency at most (its model's).
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            costCurrency = reader.GetString();
                            reader.Read();
                            costNanos = UsageCost.ToNanos(reader.GetDecimal());
                        }
                        break;
                    default: reader.Skip(); break;
                }
            }
            if (id is null || createdAtMs is null || traceId is null || tenantId is null || endpoint is null || model is null
                || status is null || latency is null)
            {
                return false;
            }
            record = new UsageRecord
            {
                Id = id.Value,
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(createdAtMs.Value),
                TraceId = traceId,
                SessionId = sessionId,
                UserId = userId,
                TenantId = tenantId,
                KeyId = keyId,
                Account = account,
                Source = source,
                Endpoint = endpoint,
                ProviderName = providerName,
                Model = model,
                Status = status.Value,
                Initiator = initiator,
                LatencyMs = latency.Value,
                TtftMs = ttft,
                InputTokens = input,
                OutputTokens = output,
                CacheReadInputTokens = cacheRead,
                CacheCreationInputTokens = cacheCreation,
                TotalTokens = total,
                CostCurrency = costCurrency,
                CostNanos = costNanos,
            };
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
