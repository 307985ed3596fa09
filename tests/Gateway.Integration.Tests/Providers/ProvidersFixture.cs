using Gateway.Integration.Tests.Infrastructure;
using Gateway.Testing.FakeUpstream;

namespace Gateway.Integration.Tests.Providers;

/// <summary>
/// A standalone gateway with keys and four providers, all served by one fake upstream (SPEC §13):
/// <c>anth</c> (anthropic, x-api-key, an extra header), <c>oac</c> (openai-compatible, base URL ending in <c>/v1</c>,
/// per-model options and pricing for <c>qwen-test</c>), <c>lim</c> (openai-compatible, for the 429 test), <c>ors</c>
/// (openai-responses) and <c>off</c> (disabled).
/// </summary>
public sealed class ProvidersFixture : IAsyncLifetime
{
    public const string AdminKey = "admin-key-for-provider-tests";
    public const string Key = "gateway-key-for-provider-tests";

    public FakeUpstreamServer Upstream { get; private set; } = null!;

    public GatewayTestHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await FakeUpstreamServer.StartAsync();
        Upstream.State.AddProviderApiKey("sk-anth");
        Upstream.State.AddProviderApiKey("sk-oac");
        Upstream.State.AddProviderApiKey("sk-ors");
        var baseUrl = Upstream.BaseAddress.TrimEnd('/');
        Gateway = await GatewayTestHost.StartAsync(Upstream, overrides =>
        {
            overrides["Gateway:auth:adminApiKey"] = AdminKey;
            overrides["Gateway:auth:apiKeys:0"] = Key;
            overrides["Gateway:providers:anth:type"] = "anthropic";
            overrides["Gateway:providers:anth:baseUrl"] = baseUrl;
            overrides["Gateway:providers:anth:apiKey"] = "sk-anth";
            overrides["Gateway:providers:anth:headers:x-custom"] = "c1";
            overrides["Gateway:providers:oac:type"] = "openai-compatible";
            overrides["Gateway:providers:oac:baseUrl"] = baseUrl + "/v1";
            overrides["Gateway:providers:oac:apiKey"] = "sk-oac";
            overrides["Gateway:providers:oac:models:qwen-test:temperature"] = "0.3";
            overrides["Gateway:providers:oac:models:qwen-test:topK"] = "20";
            overrides["Gateway:providers:oac:models:qwen-test:extraBody:seed"] = "7";
            overrides["Gateway:providers:oac:models:qwen-test:extraBody:enable_thinking"] = "false";
            overrides["Gateway:providers:oac:models:qwen-test:extraBody:max_tokens"] = "1";
            overrides["Gateway:providers:oac:models:qwen-test:pricing:input"] = "1000";
            overrides["Gateway:providers:oac:models:qwen-test:pricing:output"] = "2000";
            // Its own provider for the 429 test: a 429 cools the provider down for its retry-after (DESIGN §3).
            overrides["Gateway:providers:lim:type"] = "openai-compatible";
            overrides["Gateway:providers:lim:baseUrl"] = baseUrl + "/v1";
            overrides["Gateway:providers:lim:apiKey"] = "sk-oac";
            overrides["Gateway:providers:ors:type"] = "openai-responses";
            overrides["Gateway:providers:ors:baseUrl"] = baseUrl;
            overrides["Gateway:providers:ors:apiKey"] = "sk-ors";
            overrides["Gateway:providers:off:type"] = "anthropic";
            overrides["Gateway:providers:off:baseUrl"] = baseUrl;
            overrides["Gateway:providers:off:enabled"] = "false";
        }, withAccount: false);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
