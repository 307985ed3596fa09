using System.Globalization;
using System.Text.Json;
using Gateway.Api.Auth;
using Gateway.Api.Errors;
using Gateway.Api.UsageViewer;

namespace Gateway.Api.Usage;

/// <summary>
/// <c>GET /v1/usage</c> and <c>/v1/usage/events</c> for the caller's own tenant (SPEC §15.3), <c>GET /admin/usage</c>
/// across tenants (SPEC §16.1) and the viewer page (SPEC §15.4).
/// </summary>
public static class UsageEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapUsageEndpoints(this IEndpointRouteBuilder routes)
    {
        var tenant = routes.MapGroup("/v1/usage").RequireGatewayKey();
        tenant.MapGet("", SummaryAsync);
        tenant.MapGet("/events", EventsAsync);
        routes.MapGroup("/admin").RequireAdminKey().MapGet("/usage", AdminUsageAsync);
        routes.MapUsageViewer();
        return routes;
    }

    private static async Task SummaryAsync(HttpContext context, IUsageStore store, UsageOptions options, TimeProvider time)
    {
        var tenantId = context.Caller().TenantId;
        var ct = context.RequestAborted;
        var period = await ResolvePeriodAsync(context, store, options, time, tenantId);
        if (period is null)
        {
            return;
        }
        var totals = await store.GetTotalsAsync(tenantId, period.Range, ct);
        var models = await store.GetByModelAsync(tenantId, period.Range, ct);
        var series = await store.GetSeriesAsync(tenantId, period.BucketStarts(), period.To, ct);

        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, Translation.JsonOutput.WriterOptions))
        {
            writer.WriteStartObject();
            WritePeriod(writer, period);
            writer.WriteStartObject("totals");
            UsageJson.WriteSums(writer, totals);
            writer.WriteEndObject();
            writer.WriteStartArray("models");
            foreach (var row in models)
            {
                writer.WriteStartObject();
                writer.WriteString("model", row.Model);
                writer.WriteString("provider_name", row.ProviderName);
                UsageJson.WriteSums(writer, row.Sums);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("series");
            foreach (var point in series)
            {
                writer.WriteStartObject();
                writer.WriteString("bucket_start", UsageJson.FormatTime(period.ToLocal(point.Start)));
                UsageJson.WriteSums(writer, point.Sums);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        await context.Response.BodyWriter.FlushAsync(ct);
    }

    private static async Task EventsAsync(HttpContext context, IUsageStore store, UsageOptions options, TimeProvider time)
    {
        var tenantId = context.Caller().TenantId;
        var query = context.Request.Query;
        if (!TryReadInt(query["page"], 1, out var page) || page < 1)
        {
            await BadRequestAsync(context, "page must be an integer of at least 1.");
            return;
        }
        if (!TryReadInt(query["page_size"], DefaultPageSize, out var pageSize) || pageSize is < 1 or > MaxPageSize)
        {
            await BadRequestAsync(context, $"page_size must be an integer from 1 to {MaxPageSize}.");
            return;
        }
        var period = await ResolvePeriodAsync(context, store, options, time, tenantId);
        if (period is null)
        {
            return;
        }
        var result = await store.GetEventsAsync(tenantId, period.Range, page, pageSize, context.RequestAborted);

        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, Translation.JsonOutput.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            foreach (var record in result.Records)
            {
                UsageRecordJson.Write(writer, record);
            }
            writer.WriteEndArray();
            writer.WriteNumber("page", page);
            writer.WriteNumber("page_size", pageSize);
            writer.WriteNumber("total", result.Total);
            writer.WriteNumber("total_pages", Math.Max(1, (result.Total + pageSize - 1) / pageSize));
            writer.WriteEndObject();
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// <c>from</c>/<c>to</c> are ISO 8601 dates or instants (UTC unless they carry an offset); <c>to</c> defaults to
    /// now and <c>from</c> to the first record. <c>group_by</c> is a comma list (or repeated), <c>day</c> in UTC.
    /// </summary>
    private static async Task AdminUsageAsync(HttpContext context, IUsageStore store, TimeProvider time)
    {
        var query = context.Request.Query;
        if (!TryReadInstant(query["from"], out var from))
        {
            await BadRequestAsync(context, "from must be an ISO 8601 date or date-time.");
            return;
        }
        if (!TryReadInstant(query["to"], out var to))
        {
            await BadRequestAsync(context, "to must be an ISO 8601 date or date-time.");
            return;
        }
        var groupBy = new List<UsageDimension>();
        foreach (var value in query["group_by"])
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!UsageDimensions.TryParse(part, out var dimension))
                {
                    await BadRequestAsync(context, $"Unknown group_by '{part}'; use tenant, key, account, provider, model or day.");
                    return;
                }
                if (!groupBy.Contains(dimension))
                {
                    groupBy.Add(dimension);
                }
            }
        }
        var tenant = query["tenant"].ToString() is { Length: > 0 } t ? t : null;
        var range = new UsageRange(from, to ?? time.GetUtcNow());
        var rows = await store.GroupAsync(range, tenant, groupBy, context.RequestAborted);

        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, Translation.JsonOutput.WriterOptions))
        {
            writer.WriteStartObject();
            if (range.From is { } start)
            {
                writer.WriteString("from", UsageJson.FormatTime(start.ToUniversalTime()));
            }
            else
            {
                writer.WriteNull("from");
            }
            writer.WriteString("to", UsageJson.FormatTime(range.To.ToUniversalTime()));
            writer.WriteString("tenant", tenant);
            writer.WriteStartArray("group_by");
            foreach (var dimension in groupBy)
            {
                writer.WriteStringValue(UsageDimensions.Name(dimension));
            }
            writer.WriteEndArray();
            writer.WriteStartArray("data");
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                foreach (var dimension in groupBy)
                {
                    writer.WriteString(UsageDimensions.Name(dimension), row.Keys[dimension]);
                }
                UsageJson.WriteSums(writer, row.Sums);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>Reads <c>period</c> and <c>tz</c>; answers 400 and returns null when either is not understood.</summary>
    private static async Task<UsagePeriod?> ResolvePeriodAsync(
        HttpContext context, IUsageStore store, UsageOptions options, TimeProvider time, string tenantId)
    {
        var query = context.Request.Query;
        if (!UsagePeriod.TryNormalize(query["period"], out var name))
        {
            await BadRequestAsync(context,
                "period must be one of today, this_week, last_7_days, this_month, last_30_days, lifetime, day, week, month.");
            return null;
        }
        var zoneId = query["tz"].ToString() is { Length: > 0 } requested ? requested : options.TimeZone ?? "UTC";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            await BadRequestAsync(context, $"Unknown time zone '{zoneId}'; use an IANA name such as Europe/Berlin.");
            return null;
        }
        var first = name == "lifetime" ? await store.GetFirstRecordTimeAsync(tenantId, context.RequestAborted) : null;
        return UsagePeriod.Resolve(name, time.GetUtcNow(), zone, first);
    }

    private static void WritePeriod(Utf8JsonWriter writer, UsagePeriod period)
    {
        writer.WriteString("period", period.Name);
        writer.WriteString("from", UsageJson.FormatTime(period.ToLocal(period.From)));
        writer.WriteString("to", UsageJson.FormatTime(period.ToLocal(period.To)));
        writer.WriteString("time_zone", period.TimeZone.Id);
    }

    private static bool TryReadInt(Microsoft.Extensions.Primitives.StringValues value, int fallback, out int result)
    {
        if (value.Count == 0 || string.IsNullOrWhiteSpace(value.ToString()))
        {
            result = fallback;
            return true;
        }
        return int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out result);
    }

    private static bool TryReadInstant(Microsoft.Extensions.Primitives.StringValues value, out DateTimeOffset? result)
    {
        result = null;
        if (value.Count == 0 || string.IsNullOrWhiteSpace(value.ToString()))
        {
            return true;
        }
        if (DateTimeOffset.TryParse(value.ToString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            result = parsed;
            return true;
        }
        return false;
    }

    private static Task BadRequestAsync(HttpContext context, string message)
        => ApiErrors.WriteAsync(context, ErrorDialect.OpenAI, StatusCodes.Status400BadRequest, message);
}
