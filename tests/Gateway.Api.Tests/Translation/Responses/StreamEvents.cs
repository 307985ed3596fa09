using System.Text.Json;

namespace Gateway.Api.Tests.Translation.Responses;

/// <summary>Builders for upstream Responses events and the Anthropic events expected from them.</summary>
internal static class StreamEvents
{
    private static string S(string text) => JsonSerializer.Serialize(text);

    // ---- upstream (OpenAI Responses) ----

    public static string Created(string id = "resp_1", string model = "gpt-5.4", string usage = "null")
        => $$$$"""{"type":"response.created","sequence_number":0,"response":{"id":{{{{S(id)}}}},"object":"response","model":{{{{S(model)}}}},"status":"in_progress","output":[],"usage":{{{{usage}}}}}}""";

    public static string InProgress()
        => """{"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_1","model":"gpt-5.4","status":"in_progress","output":[]}}""";

    public static string ItemAdded(int outputIndex, string item)
        => $$$$"""{"type":"response.output_item.added","sequence_number":2,"output_index":{{{{outputIndex}}}},"item":{{{{item}}}}}""";

    public static string ItemDone(int outputIndex, string item)
        => $$$$"""{"type":"response.output_item.done","sequence_number":3,"output_index":{{{{outputIndex}}}},"item":{{{{item}}}}}""";

    public static string ContentPartAdded(int outputIndex)
        => $$$$"""{"type":"response.content_part.added","output_index":{{{{outputIndex}}}},"content_index":0,"item_id":"msg_1","part":{"type":"output_text","text":"","annotations":[]}}""";

    public static string TextDelta(int outputIndex, int contentIndex, string delta)
        => $$$$"""{"type":"response.output_text.delta","item_id":"msg_1","output_index":{{{{outputIndex}}}},"content_index":{{{{contentIndex}}}},"delta":{{{{S(delta)}}}},"logprobs":[]}""";

    public static string TextDone(int outputIndex, int contentIndex, string text)
        => $$$$"""{"type":"response.output_text.done","item_id":"msg_1","output_index":{{{{outputIndex}}}},"content_index":{{{{contentIndex}}}},"text":{{{{S(text)}}}},"logprobs":[]}""";

    public static string SummaryDelta(int outputIndex, int summaryIndex, string delta)
        => $$$$"""{"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":{{{{outputIndex}}}},"summary_index":{{{{summaryIndex}}}},"delta":{{{{S(delta)}}}}}""";

    public static string SummaryDone(int outputIndex, int summaryIndex, string text)
        => $$$$"""{"type":"response.reasoning_summary_text.done","item_id":"rs_1","output_index":{{{{outputIndex}}}},"summary_index":{{{{summaryIndex}}}},"text":{{{{S(text)}}}}}""";

    public static string ArgumentsDelta(int outputIndex, string delta)
        => $$$$"""{"type":"response.function_call_arguments.delta","item_id":"fc_1","output_index":{{{{outputIndex}}}},"delta":{{{{S(delta)}}}}}""";

    public static string ArgumentsDone(int outputIndex, string arguments)
        => $$$$"""{"type":"response.function_call_arguments.done","item_id":"fc_1","output_index":{{{{outputIndex}}}},"arguments":{{{{S(arguments)}}}}}""";

    public static string FunctionCall(string callId, string name, string arguments = "")
        => $$$$"""{"type":"function_call","id":"fc_{{{{callId}}}}","call_id":{{{{S(callId)}}}},"name":{{{{S(name)}}}},"arguments":{{{{S(arguments)}}}},"status":"in_progress"}""";

    public static string Completed(string output = "[]", string usage = """{"input_tokens":120,"input_tokens_details":{"cached_tokens":20},"output_tokens":30,"total_tokens":150}""")
        => $$$$"""{"type":"response.completed","response":{"id":"resp_1","model":"gpt-5.4","status":"completed","output":{{{{output}}}},"usage":{{{{usage}}}}}}""";

    public static string Incomplete(string reason)
        => $$$$"""{"type":"response.incomplete","response":{"id":"resp_1","model":"gpt-5.4","status":"incomplete","incomplete_details":{"reason":{{{{S(reason)}}}}},"output":[],"usage":{"input_tokens":10,"output_tokens":12800}}}""";

    // ---- expected (Anthropic) ----

    public const string ZeroUsage = """{"input_tokens":0,"output_tokens":0}""";
    public const string CompletedUsage = """{"input_tokens":100,"output_tokens":30,"cache_read_input_tokens":20}""";

    public static (string, string) MessageStart(string usage = ZeroUsage, string id = "resp_1", string model = "gpt-5.4")
        => ("message_start", $$$$"""{"type":"message_start","message":{"id":{{{{S(id)}}}},"type":"message","role":"assistant","model":{{{{S(model)}}}},"content":[],"stop_reason":null,"stop_sequence":null,"usage":{{{{usage}}}}}}""");

    public static (string, string) TextStart(int index)
        => ("content_block_start", $$$$"""{"type":"content_block_start","index":{{{{index}}}},"content_block":{"type":"text","text":""}}""");

    public static (string, string) ThinkingStart(int index)
        => ("content_block_start", $$$$"""{"type":"content_block_start","index":{{{{index}}}},"content_block":{"type":"thinking","thinking":""}}""");

    public static (string, string) ToolUseStart(int index, string id, string name)
        => ("content_block_start", $$$$"""{"type":"content_block_start","index":{{{{index}}}},"content_block":{"type":"tool_use","id":{{{{S(id)}}}},"name":{{{{S(name)}}}},"input":{}}}""");

    public static (string, string) Text(int index, string text) => Delta(index, $$$$"""{"type":"text_delta","text":{{{{S(text)}}}}}""");

    public static (string, string) Thinking(int index, string text) => Delta(index, $$$$"""{"type":"thinking_delta","thinking":{{{{S(text)}}}}}""");

    public static (string, string) Signature(int index, string signature) => Delta(index, $$$$"""{"type":"signature_delta","signature":{{{{S(signature)}}}}}""");

    public static (string, string) Json(int index, string partial) => Delta(index, $$$$"""{"type":"input_json_delta","partial_json":{{{{S(partial)}}}}}""");

    public static (string, string) Stop(int index) => ("content_block_stop", $$$$"""{"type":"content_block_stop","index":{{{{index}}}}}""");

    public static (string, string) MessageDelta(string? stopReason, string usage = CompletedUsage)
        => ("message_delta", $$$$"""{"type":"message_delta","delta":{"stop_reason":{{{{(stopReason is null ? "null" : S(stopReason))}}}},"stop_sequence":null},"usage":{{{{usage}}}}}""");

    public static (string, string) MessageStop() => ("message_stop", """{"type":"message_stop"}""");

    public static (string, string) Error(string message) => ("error", $$$$"""{"type":"error","error":{"type":"api_error","message":{{{{S(message)}}}}}}""");

    public static (string, string) Ping() => ("ping", """{"type":"ping"}""");

    private static (string, string) Delta(int index, string delta)
        => ("content_block_delta", $$$$"""{"type":"content_block_delta","index":{{{{index}}}},"delta":{{{{delta}}}}}""");
}
