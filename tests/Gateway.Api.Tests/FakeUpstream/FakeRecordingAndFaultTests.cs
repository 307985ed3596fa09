using System.Diagnostics;
using System.Text;
using Gateway.Testing.FakeUpstream;
using static Gateway.Api.Tests.FakeUpstream.FakeUpstreamTestKit;

namespace Gateway.Api.Tests.FakeUpstream;

/// <summary>What the fake records, and the faults it injects for the gateway's error paths (SPEC §2.3, §11.2, §17).</summary>
public sealed class FakeRecordingAndFaultTests
{
    private const string ChatRequest = """{"model":"gpt-4.1","stream":true,"messages":[]}""";
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Recording_CapturesMethodPathQueryHeadersBodyAndTime()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        var body = """{"model":"gpt-4.1","messages":[{"role":"user","content":"hé"}]}""";
        using var request = Post("/chat/completions?api-version=1", body, "tid=abc");
        request.Headers.Add("X-Initiator", "agent");

        await fake.SendAsync(request);

        var recording = Assert.Single(fake.Server.RequestsTo("/chat/completions"));
        Assert.Equal("POST", recording.Method);
        Assert.Equal("/chat/completions", recording.Path);
        Assert.Equal("?api-version=1", recording.QueryString);
        Assert.Equal("agent", recording.Header("x-initiator"));
        Assert.Equal("agent", recording.Headers["X-INITIATOR"]);
        Assert.Equal("Bearer tid=abc", recording.Header("authorization"));
        Assert.Null(recording.Header("x-absent"));
        Assert.Equal(Encoding.UTF8.GetBytes(body), recording.Body);
        Assert.Equal(body, recording.BodyText);
        Assert.Equal("hé", recording.Json().RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal(Now, recording.ReceivedAt);
        Assert.False(recording.Aborted);
    }

    [Fact]
    public async Task Recording_KeepsOnlyTheNewestMaxRecordingsAndClears()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync(o => o.MaxRecordings = 2);

        foreach (var path in new[] { "/a", "/b", "/c" })
        {
            await fake.SendAsync(Get(path));
        }

        Assert.Equal(["/b", "/c"], fake.Server.Requests.Select(r => r.Path));
        fake.Server.ClearRecordings();
        Assert.Empty(fake.Server.Requests);
    }

    [Fact]
    public async Task RecordingOff_RecordsNothingAndCannotWaitForAborts()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync(o => o.RecordRequests = false);
        fake.State.RequireValidCopilotToken = false;

        var (status, _, _) = await fake.SendAsync(Post("/chat/completions", ChatRequest));

        Assert.Equal(200, status);
        Assert.Empty(fake.Server.Requests);
        await Assert.ThrowsAsync<InvalidOperationException>(() => fake.Server.WaitForAbortAsync("/chat/completions", WaitLimit));
    }

    [Fact]
    public async Task StatusFault_RateLimitedAnswers429WithHeadersOnceThenRecovers()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        fake.Server.EnqueueFault("/chat/completions", Fault.RateLimited);

        using var first = await fake.Http.SendAsync(Post("/chat/completions", ChatRequest));
        var second = await fake.SendAsync(Post("/chat/completions", ChatRequest));

        Assert.Equal(429, (int)first.StatusCode);
        Assert.Equal("7", first.Headers.GetValues("retry-after").Single());
        Assert.Equal("0", first.Headers.GetValues("x-ratelimit-remaining").Single());
        AssertJson(
            """{"error":{"message":"Sorry, you have exceeded your rate limit.","code":"rate_limited"}}""",
            await first.Content.ReadAsStringAsync());
        Assert.Equal(200, second.Status);
    }

    [Fact]
    public async Task StatusFault_QueuedTimesAndOnGitHubPaths()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.Server.EnqueueFault("/copilot_internal/v2/token", Fault.Status(502, """{"message":"bad gateway"}"""), times: 2);
        var auth = "token " + FakeUpstreamState.DefaultGitHubToken;

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await fake.SendAsync(Get("/copilot_internal/v2/token", auth))).Status);
        }

        Assert.Equal([502, 502, 200], statuses);
    }

    [Fact]
    public async Task ModelNameFault_TriggersWithoutQueueing()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;

        using var limited = await fake.Http.SendAsync(Post("/v1/messages", """{"model":"fault-429","messages":[]}"""));
        var failed = await fake.SendAsync(Post("/chat/completions", """{"model":"fault-503","messages":[]}"""));

        Assert.Equal(429, (int)limited.StatusCode);
        Assert.Equal("7", limited.Headers.GetValues("retry-after").Single());
        Assert.Equal(503, failed.Status);
        AssertJson("""{"error":{"message":"fake upstream fault 503","type":"fake_fault"}}""", failed.Body);
    }

    [Fact]
    public async Task DropAfterEvents_StreamsThatManyEventsThenCutsTheConnection()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        fake.Server.EnqueueFault("/v1/messages", Fault.DropAfterEvents(2));

        using var response = await fake.Http.SendAsync(
            Post("/v1/messages", """{"model":"claude-sonnet-4.5","stream":true,"messages":[]}"""),
            HttpCompletionOption.ResponseHeadersRead);
        var received = new StringBuilder();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var failure = await Record.ExceptionAsync(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                received.Append(line).Append('\n');
            }
        });

        Assert.Equal(200, (int)response.StatusCode);
        Assert.IsAssignableFrom<IOException>(failure);
        var events = ParseSse(received.ToString());
        Assert.Equal(["message_start", "ping"], events.Select(e => e.Event));
        var recording = await fake.Server.WaitForAbortAsync("/v1/messages", WaitLimit);
        Assert.True(recording.Aborted);
    }

    [Fact]
    public async Task DropFromModelName_OnNonStreamingRequestCutsBeforeAnyBody()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;

        var failure = await Record.ExceptionAsync(() => fake.Http.SendAsync(Post("/chat/completions", """{"model":"fault-drop-0","messages":[]}""")));

        Assert.IsType<HttpRequestException>(failure);
        Assert.True((await fake.Server.WaitForAbortAsync("/chat/completions", WaitLimit)).Aborted);
    }

    [Fact]
    public async Task Hang_EndsOnlyWhenClientGivesUpAndIsRecordedAborted()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        fake.Server.EnqueueFault("/responses", Fault.Hang);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var failure = await Record.ExceptionAsync(() => fake.Http.SendAsync(Post("/responses", """{"model":"gpt-5.4","input":"hi"}"""), cancel.Token));
        var recording = await fake.Server.WaitForAbortAsync("/responses", WaitLimit);

        Assert.IsAssignableFrom<OperationCanceledException>(failure);
        Assert.Equal("/responses", recording.Path);
        Assert.True(recording.Aborted);
    }

    [Fact]
    public async Task ClientDisconnectMidStream_IsRecordedAbortedAndWaitCompletes()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        // Long enough (40 s) that the client cannot drain the rest of the body when it disposes the response early:
        // it must abort the connection.
        fake.State.ChunkDelay = TimeSpan.FromMilliseconds(200);
        fake.State.ContentChunks = 200;

        var waiting = fake.Server.WaitForAbortAsync("/chat/completions", WaitLimit);
        using (var response = await fake.Http.SendAsync(Post("/chat/completions", ChatRequest), HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data: ", await reader.ReadLineAsync());
        }

        var recording = await waiting;
        Assert.True(recording.Aborted);
        Assert.Same(Assert.Single(fake.Server.RequestsTo("/chat/completions")), recording);
    }

    [Fact]
    public async Task WaitForAbort_TimesOutWithAMessageWhenNothingAborts()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        await fake.SendAsync(Post("/chat/completions", ChatRequest));

        var failure = await Assert.ThrowsAsync<TimeoutException>(() => fake.Server.WaitForAbortAsync("/chat/completions", TimeSpan.FromMilliseconds(100)));

        Assert.Contains("requests to it: 1, none aborted", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowFirstByte_DelaysTheAnswerThenAnswersNormally()
    {
        await using var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        fake.Server.EnqueueFault("/chat/completions", Fault.SlowFirstByte(TimeSpan.FromMilliseconds(300)));

        var clock = Stopwatch.StartNew();
        var (status, _, body) = await fake.SendAsync(Post("/chat/completions", """{"model":"gpt-4.1","messages":[]}"""));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"Expected at least 300 ms before the answer, got {clock.Elapsed}.");
        Assert.Equal(200, status);
        Assert.Contains("Hello from gpt-4.1 #1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_EndsHangingRequests()
    {
        var fake = await FakeUpstreamHarness.StartAsync();
        fake.State.RequireValidCopilotToken = false;
        fake.Server.EnqueueFault("/chat/completions", Fault.Hang);
        var pending = fake.Http.SendAsync(Post("/chat/completions", ChatRequest));
        await WaitUntilAsync(() => fake.Server.Requests.Count == 1);

        var clock = Stopwatch.StartNew();
        await fake.DisposeAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Expected dispose to end the hanging request at once, took {clock.Elapsed}.");
        Assert.NotNull(await Record.ExceptionAsync(() => pending));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < WaitLimit, "Condition not met in time.");
            await Task.Delay(10);
        }
    }
}
