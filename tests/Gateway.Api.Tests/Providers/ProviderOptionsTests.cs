using System.Text;
using Gateway.Api.Providers;
using Gateway.Grains.Options;
using Microsoft.Extensions.Configuration;

namespace Gateway.Api.Tests.Providers;

/// <summary><c>providers</c> binding from config.json and environment-style keys, and start-up validation (SPEC §13, §18).</summary>
public sealed class ProviderOptionsTests
{
    private static GatewayOptions Bind(IConfiguration configuration)
    {
        var options = new GatewayOptions();
        configuration.Bind(options);
        return options;
    }

    [Fact]
    public void ConfigJson_BindsEveryProviderField_AndTypesExtraBody()
    {
        var json = """
            {"providers":{"dashscope":{"type":"openai-compatible","baseUrl":"https://dashscope.aliyuncs.com/compatible-mode/v1","apiKey":"sk-1",
              "headers":{"x-team":"a"},
              "models":{"qwen3.5-plus":{"temperature":0.6,"topP":0.9,"topK":20,"reasoningField":"reasoning","contextWindow":131072,
                "maxOutputTokens":8192,"type":"openai-responses","toolContentSupportType":["array","image"],
                "extraBody":{"enable_thinking":true,"thinking_budget":512,"ratio":0.5,"name":"x","tags":["a","b"],"nested":{"k":false}},
                "pricing":{"currency":"CNY","input":0.8,"output":2}}}}}}
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var provider = Bind(configuration).Providers["dashscope"];
        Assert.Equal(("openai-compatible", "https://dashscope.aliyuncs.com/compatible-mode/v1", "sk-1", true), (provider.Type, provider.BaseUrl, provider.ApiKey, provider.Enabled));
        Assert.Equal("a", provider.Headers["x-team"]);
        var model = new Provider("dashscope", provider).Model("qwen3.5-plus");
        Assert.Equal(
            ("openai-responses", 0.6, 0.9, 20, "reasoning", 131072L, 8192L),
            (model.Type, model.Temperature, model.TopP, model.TopK, model.ReasoningField, model.ContextWindow, model.MaxOutputTokens));
        Assert.Equal(Gateway.Api.Translation.Chat.ToolContentSupport.Array | Gateway.Api.Translation.Chat.ToolContentSupport.Image, model.ToolContentSupport);
        Assert.Equal(
            """{"enable_thinking":true,"name":"x","nested":{"k":false},"ratio":0.5,"tags":["a","b"],"thinking_budget":512}""",
            model.ExtraBody!.ToJsonString());
        Assert.Equal(("CNY", 0.8m, 2m), (provider.Models["qwen3.5-plus"].Pricing!.Currency, provider.Models["qwen3.5-plus"].Pricing!.Input, provider.Models["qwen3.5-plus"].Pricing!.Output));
    }

    [Fact]
    public void EnvironmentStyleKeys_BindTheSameWay()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["providers:local:type"] = "openai-compatible",
            ["providers:local:baseUrl"] = "http://localhost:11434",
            ["providers:local:enabled"] = "false",
            ["providers:local:models:llama:extraBody:enable_thinking"] = "false",
            ["providers:local:models:llama:extraBody:num_ctx"] = "8192",
            ["providers:local:models:llama:extraBody:stop:0"] = "END",
        }).Build();
        var provider = Bind(configuration).Providers["local"];
        Assert.False(provider.Enabled);
        Assert.Equal("""{"enable_thinking":false,"num_ctx":8192,"stop":["END"]}""", new Provider("local", provider).Model("llama").ExtraBody!.ToJsonString());
    }

    [Fact]
    public void Defaults_AuthByTypeAndUrlsByBaseUrlSuffix()
    {
        var anthropic = new Provider("a", new ProviderOptions { Type = "anthropic", BaseUrl = "https://api.example.com/" });
        var versioned = new Provider("b", new ProviderOptions { Type = "openai-compatible", BaseUrl = "https://example.com/api/v3" });
        Assert.Equal(("x-api-key", "https://api.example.com/v1/messages"), (anthropic.AuthType, anthropic.Url("/messages")));
        Assert.Equal(("authorization", "https://example.com/api/v3/chat/completions"), (versioned.AuthType, versioned.Url("/chat/completions")));
        Assert.Equal(ProviderModel.Default("unlisted", "anthropic"), anthropic.Model("unlisted"));
        Assert.True(new Provider("x", new ProviderOptions { BaseUrl = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1" }).IsDashScope);
        Assert.True(new Provider("dashscope", new ProviderOptions { BaseUrl = "https://proxy.example.com" }).IsDashScope);
    }

    [Fact]
    public void UpstreamMessage_CarriesOnlyProviderCredentials()
    {
        var provider = new Provider("p", new ProviderOptions
        {
            Type = "openai-compatible",
            BaseUrl = "https://example.com",
            ApiKey = "sk-p",
            Headers = new Dictionary<string, string> { ["x-org"] = "o1", ["authorization"] = "Bearer not-this" },
        });
        using var message = ProviderForwarder.CreateMessage(provider, new ProviderRequest { Endpoint = "/chat/completions", Body = "{}"u8.ToArray() });
        Assert.Equal("https://example.com/v1/chat/completions", message.RequestUri!.ToString());
        Assert.Equal(
            ["Authorization: Bearer sk-p", "x-org: o1"],
            message.Headers.Select(h => $"{h.Key}: {string.Join(",", h.Value)}").Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Validation_ListsEveryProviderProblem()
    {
        var providers = new Dictionary<string, ProviderOptions>
        {
            ["Bad Name"] = new() { Type = "anthropic", BaseUrl = "https://x.example" },
            ["admin"] = new() { Type = "anthropic", BaseUrl = "https://x.example" },
            ["p1"] = new() { Type = "gemini", BaseUrl = "ftp://x", AuthType = "basic" },
            ["p2"] = new() { Type = "openai-responses", AuthType = "azure-entra" },
            ["p3"] = new()
            {
                Type = "openai-compatible",
                BaseUrl = "http://localhost:1234",
                AuthType = "oauth2",
                Models = new()
                {
                    ["m"] = new() { Type = "x", ReasoningField = "thoughts", ToolContentSupportType = ["video"], Pricing = new ModelPricingOptions { Currency = "dollars" } },
                },
            },
            ["ok_name-2"] = new() { Type = "openai-compatible", BaseUrl = "https://ok.example/v1", AuthType = "authorization" },
        };
        Assert.Equal(
        [
            "Gateway:providers:Bad Name: provider names must match [a-z0-9][a-z0-9_-]* (got 'Bad Name').",
            "Gateway:providers:admin: 'admin' collides with a gateway route; choose another provider name.",
            "Gateway:providers:p1:type must be anthropic, openai-compatible or openai-responses (got 'gemini').",
            "Gateway:providers:p1:baseUrl must be an absolute http(s) URL (got 'ftp://x').",
            "Gateway:providers:p1:authType must be x-api-key or authorization (got 'basic').",
            "Gateway:providers:p2:baseUrl is required.",
            "Gateway:providers:p2:authType 'azure-entra' is not supported in this build; use x-api-key or authorization.",
            "Gateway:providers:p3:authType 'oauth2' is not supported in this build; use x-api-key or authorization.",
            "Gateway:providers:p3:models:m:type must be anthropic, openai-compatible or openai-responses (got 'x').",
            "Gateway:providers:p3:models:m:reasoningField must be reasoning_content or reasoning (got 'thoughts').",
            "Gateway:providers:p3:models:m:toolContentSupportType entries must be array, image or pdf (got 'video').",
            "Gateway:providers:p3:models:m:pricing.currency must be a three-letter currency code.",
        ], ProviderOptionsValidation.Validate(providers));
    }

    [Fact]
    public void GatewayValidation_IncludesProviderProblems()
    {
        var options = new GatewayOptions { Providers = { ["usage"] = new() { Type = "anthropic", BaseUrl = "https://x.example" } } };
        Assert.Equal(["Gateway:providers:usage: 'usage' collides with a gateway route; choose another provider name."],
            Gateway.Api.Hosting.GatewayOptionsValidation.Validate(options, null));
    }
}
