using System.Text.Json.Nodes;
using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Messages;

public class CompactAndWarmupTests
{
    private const string CompactPrompt =
        "CRITICAL: Respond with TEXT ONLY. Do NOT call any tools.\n\nYour task is to create a detailed summary of the conversation so far.\n";

    private static JsonObject WithLastUser(string contentJson, string system = "\"sys\"")
        => JsonAssert.Parse($$"""{"system":{{system}},"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"ok"},{"role":"user","content":{{contentJson}}}]}""");

    [Theory]
    [InlineData("Pending Tasks:")]
    [InlineData("Current Work:")]
    public void CompactPromptWithSection_IsCompact(string section)
    {
        var request = WithLastUser(JsonValue.Create(CompactPrompt + section)!.ToJsonString());
        Assert.True(CompactDetector.IsCompact(request));
    }

    [Fact]
    public void CompactPromptWithoutSection_IsNotCompact()
        => Assert.False(CompactDetector.IsCompact(WithLastUser(JsonValue.Create(CompactPrompt)!.ToJsonString())));

    [Fact]
    public void CompactPromptSplitOverTextBlocks_SystemReminderBlocksIgnored_IsCompact()
    {
        var blocks = new JsonArray(
            JsonAssert.Parse("""{"type":"text","text":"<system-reminder>Pending Tasks: hidden</system-reminder>"}"""),
            new JsonObject { ["type"] = "text", ["text"] = CompactPrompt },
            JsonAssert.Parse("""{"type":"text","text":"Current Work:"}"""));
        Assert.True(CompactDetector.IsCompact(WithLastUser(blocks.ToJsonString())));
        Assert.Equal(CompactPrompt + "\n\nCurrent Work:", CompactDetector.CandidateText(WithLastUser(blocks.ToJsonString())));
    }

    [Fact]
    public void SectionOnlyInsideSystemReminder_IsNotCompact()
    {
        var blocks = new JsonArray(
            new JsonObject { ["type"] = "text", ["text"] = CompactPrompt },
            JsonAssert.Parse("""{"type":"text","text":"<system-reminder>Pending Tasks:</system-reminder>"}"""));
        Assert.False(CompactDetector.IsCompact(WithLastUser(blocks.ToJsonString())));
    }

    [Theory]
    [InlineData("You are a helpful AI assistant tasked with summarizing conversations. Be brief.")]
    [InlineData("You are an anchored context summarization assistant for coding sessions. More.")]
    public void SummarizerSystemBlock_IsCompact(string systemText)
    {
        var system = new JsonArray(JsonAssert.Parse("""{"type":"text","text":"billing"}"""), new JsonObject { ["type"] = "text", ["text"] = systemText });
        Assert.True(CompactDetector.IsCompact(WithLastUser("\"go\"", system.ToJsonString())));
    }

    [Theory]
    [InlineData("This session is being continued from a previous conversation that ran out of context. The summary below covers the earlier portion of the conversation.\nSummary...", true)]
    [InlineData("Continue if you have next steps, or stop and ask for clarification if you are unsure how to proceed.", true)]
    [InlineData("The previous request exceeded the provider's size limit due to large media attachments. The conversation was compacted and media files were removed from context.", true)]
    [InlineData("Please continue if you have next steps", false)]
    public void AutoContinuePrefixes_Detected(string text, bool expected)
        => Assert.Equal(expected, CompactDetector.IsAutoContinue(WithLastUser(JsonValue.Create(text)!.ToJsonString())));

    [Fact]
    public void LastMessageAssistant_IsNeitherCompactNorAutoContinue()
    {
        var request = JsonAssert.Parse($$"""{"messages":[{"role":"user","content":{{JsonValue.Create(CompactPrompt + "Current Work:")!.ToJsonString()}}},{"role":"assistant","content":"x"}]}""");
        Assert.False(CompactDetector.IsCompact(request));
        Assert.False(CompactDetector.IsAutoContinue(request));
    }

    [Theory]
    [InlineData("""[{"type":"text","text":" Warmup \n","cache_control":{"type":"ephemeral"}}]""", true)]
    [InlineData("""[{"type":"text","text":"x"},{"type":"text","text":"WARMUP","cache_control":{"type":"ephemeral","ttl":"1h"}}]""", true)]
    [InlineData("""[{"type":"text","text":"warmup"}]""", false)]
    [InlineData("""[{"type":"text","text":"warmup please","cache_control":{"type":"ephemeral"}}]""", false)]
    [InlineData("""[{"type":"text","text":"warmup","cache_control":{"type":"ephemeral"}},{"type":"image","source":{}}]""", false)]
    [InlineData("\"warmup\"", false)]
    public void Warmup_RequiresTrimmedTextAndEphemeralCacheControl(string contentJson, bool expected)
        => Assert.Equal(expected, WarmupDetector.IsWarmup(WithLastUser(contentJson)));

    [Fact]
    public void SecurityMonitor_NoToolsAndAllowedStopSequences_GetsClaudeAutoModel()
    {
        var request = JsonAssert.Parse("""
            {"model":"claude-sonnet-4.5","system":[{"type":"text","text":"You are a security monitor for autonomous AI coding agents. Judge."}],
             "stop_sequences":["</block>"],"messages":[{"role":"user","content":"x"}]}
            """);

        Assert.True(SecurityMonitorDetector.ApplyClaudeAutoModel(request, "gpt-6-luna"));
        Assert.Equal("gpt-6-luna", (string?)request["model"]);
    }

    [Theory]
    [InlineData("""{"stop_sequences":["</severity>"],"tools":[]}""", true)]
    [InlineData("""{"stop_sequences":[]}""", true)]
    [InlineData("""{"stop_sequences":["STOP"]}""", false)]
    [InlineData("""{"stop_sequences":["</block>","</severity>"]}""", false)]
    [InlineData("""{"tools":[{"name":"Bash"}]}""", false)]
    public void SecurityMonitor_ToolAndStopSequenceRules(string extraJson, bool expected)
    {
        var request = JsonAssert.Parse(extraJson);
        request["system"] = "You are a security monitor for autonomous AI coding agents.";
        request["messages"] = new JsonArray();
        Assert.Equal(expected, SecurityMonitorDetector.IsSecurityMonitor(request));
    }

    [Fact]
    public void ClaudeAutoModelUnset_ModelUnchanged()
    {
        var request = JsonAssert.Parse("""{"model":"m","system":"You are a security monitor for autonomous AI coding agents.","messages":[]}""");
        Assert.False(SecurityMonitorDetector.ApplyClaudeAutoModel(request, null));
        Assert.Equal("m", (string?)request["model"]);
    }
}
