using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Accounts;
using Gateway.Api.Catalog;
using Gateway.Api.Errors;
using Gateway.Api.Forwarding;
using Gateway.Api.Hosting;
using Gateway.Api.Messages;
using Gateway.Api.Tokens;
using Gateway.Api.Translation;
using Gateway.Api.Translation.Chat;

namespace Gateway.Api.Endpoints;

/// <summary>
/// <c>POST /v1/messages/count_tokens</c> (SPEC §14): Anthropic's own count for Claude models when an Anthropic key is
/// configured, else (or on any failure) the local estimate on the Chat Completions translation.
/// </summary>
public static partial class CountTokensEndpoint
{
    internal static async Task CountTokensAsync(HttpContext context, CopilotAccountPool pool, UpstreamInvoker upstream, EffectiveSettings settings, ILoggerFactory loggers,
        Providers.ProviderRouting providers)
    {
        if (await MessagesEndpoints.ReadRequestAsync(context) is not { } request)
        {
            return;
        }
        long inputTokens;
        try
        {
            CountTokensRequest.Prepare(request);
            var model = ModelMappings.Apply((string)request["model"]!, settings.ModelMappings);
            if (ProviderAlias.TryParse(model, out var providerName, out var providerModel))
            {
                // SPEC §14 step 1: a provider alias → the local estimate with the provider's model.
                if (await providers.ResolveAsync(context, ErrorDialect.Anthropic, providerName) is not null)
                {
                    await ProviderEndpoints.WriteEstimateAsync(context, request, providerModel, settings);
                }
                return;
            }
            request["model"] = model;
            if (model.StartsWith("claude", StringComparison.Ordinal) && settings.AnthropicApiKey is { Length: > 0 } key
                && await ForwardToAnthropicAsync(context, request, model, key, upstream, settings, loggers.CreateLogger(typeof(CountTokensEndpoint))))
            {
                return;
            }
            var catalog = await pool.GetCatalogAsync(context.RequestAborted);
            inputTokens = Estimate(request, ModelLookup.Resolve(model, catalog), context.Request.Headers.ContainsKey("anthropic-beta"), settings.Options.ClaudeTokenMultiplier);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // SPEC §14 step 6: any exception → {"input_tokens": 1}.
            LogEstimateFailed(loggers.CreateLogger(typeof(CountTokensEndpoint)), ex.Message);
            inputTokens = 1;
        }
        var output = new ArrayBufferWriter<byte>(32);
        CountTokensRequest.WriteResponse(output, inputTokens);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = output.WrittenCount;
        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
    }

    /// <summary>SPEC §14 step 3: the estimate over the Chat Completions translation of the request.</summary>
    public static long Estimate(JsonObject request, ResolvedModel model, bool hasAnthropicBeta, double claudeTokenMultiplier)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            AnthropicToChatRequest.Write(request, new ChatRequestOptions { UpstreamModelId = model.Id, Model = model.Info }, writer);
        }
        using var chat = JsonDocument.Parse(buffer.WrittenMemory);
        return TokenCounter.CountInputTokens(chat.RootElement, new TokenCountContext(model.Id, model.Info?.Tokenizer, hasAnthropicBeta),
            new TokenCountOptions { ClaudeTokenMultiplier = claudeTokenMultiplier });
    }

    /// <summary>SPEC §14 step 2. Returns false (fall back to the estimate) on any failure.</summary>
    private static async Task<bool> ForwardToAnthropicAsync(HttpContext context, JsonObject request, string model, string key, UpstreamInvoker upstream,
        EffectiveSettings settings, ILogger logger)
    {
        var body = (JsonObject)request.DeepClone();
        body["model"] = CountTokensRequest.AnthropicModelId(model);
        using var message = new HttpRequestMessage(HttpMethod.Post, settings.Options.Upstreams.AnthropicApiUrl.TrimEnd('/') + "/v1/messages/count_tokens")
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        message.Headers.TryAddWithoutValidation("x-api-key", key);
        message.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        message.Headers.TryAddWithoutValidation("anthropic-beta", "token-counting-2024-11-01");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            using var response = await upstream.Invoker.SendAsync(message, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                LogAnthropicFailed(logger, $"HTTP {(int)response.StatusCode}");
                return false;
            }
            var json = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = json.Length;
            await context.Response.Body.WriteAsync(json, context.RequestAborted);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            LogAnthropicFailed(logger, ex.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Anthropic count_tokens failed ({Reason}); using the local estimate")]
    private static partial void LogAnthropicFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token estimate failed ({Reason}); answering 1")]
    private static partial void LogEstimateFailed(ILogger logger, string reason);
}
