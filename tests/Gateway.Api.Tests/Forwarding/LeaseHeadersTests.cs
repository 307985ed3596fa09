using Gateway.Api.Forwarding;
using Gateway.Grains.Abstractions.Accounts;
using Gateway.Grains.GitHub;
using Gateway.Grains.Options;

namespace Gateway.Api.Tests.Forwarding;

public sealed class LeaseHeadersTests
{
    private static AccountLease Lease(string token = "tok") => new(
        "octo", token, "https://api.example.test", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "machine", "device", "session", 1, "hash");

    private static List<KeyValuePair<string, string>> Pairs(HttpRequestMessage message)
        => message.Headers.NonValidated.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))).ToList();

    [Fact]
    public void ApplyTo_AddsExactlyWhatApplyCommonAdds()
    {
        var lease = Lease();
        var copilot = new CopilotOptions();
        using var expected = new HttpRequestMessage();
        CopilotHeaders.ApplyCommon(expected.Headers, new CopilotHeaderContext(lease.CopilotBaseUrl, lease.CopilotToken, lease.MachineId, lease.DeviceId, lease.VscodeSessionId),
            copilot, "1.99.0");
        using var actual = new HttpRequestMessage();

        LeaseHeaders.For(lease, copilot, "1.99.0").ApplyTo(actual.Headers, omit: null);

        Assert.Equal(Pairs(expected), Pairs(actual));
        Assert.Equal("Bearer tok", actual.Headers.GetValues("authorization").Single());
    }

    [Fact]
    public void ApplyTo_LeavesOutTheOmittedHeader()
    {
        using var message = new HttpRequestMessage();
        LeaseHeaders.For(Lease(), new CopilotOptions(), "1.99.0").ApplyTo(message.Headers, omit: "copilot-integration-id");
        Assert.False(message.Headers.Contains("copilot-integration-id"));
        Assert.True(message.Headers.Contains("editor-device-id"));
    }

    [Fact]
    public void SameLeaseAndVersion_ReusesTheEntryAndItsUris()
    {
        var lease = Lease();
        var first = LeaseHeaders.For(lease, new CopilotOptions(), "1.99.0");
        var second = LeaseHeaders.For(lease, new CopilotOptions(), "1.99.0");

        Assert.Same(first, second);
        Assert.Same(first.UriFor("/chat/completions"), second.UriFor("/chat/completions"));
        Assert.Equal(new Uri("https://api.example.test/chat/completions"), first.UriFor("/chat/completions"));
    }

    [Fact]
    public void NewEditorVersionOrNewLease_Rebuilds()
    {
        var lease = Lease();
        var old = LeaseHeaders.For(lease, new CopilotOptions(), "1.99.0");
        var newer = LeaseHeaders.For(lease, new CopilotOptions(), "1.100.0");
        var renewed = LeaseHeaders.For(Lease("tok2"), new CopilotOptions(), "1.100.0");

        Assert.NotSame(old, newer);
        Assert.Contains(new KeyValuePair<string, string>("editor-version", "vscode/1.100.0"), newer.Common);
        Assert.Contains(new KeyValuePair<string, string>("Authorization", "Bearer tok2"), renewed.Common);
    }
}
