using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Api.Messages;

namespace Gateway.Api.Tests.Messages;

public class RootSessionTests
{
    private static Func<string, string?> Headers(params (string Name, string Value)[] headers)
        => name => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>An independent derivation: hex of the hashed bytes with the §4.2 bits set, dashes inserted by hand.</summary>
    private static string ExpectedUuid(string text)
    {
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16];
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(b);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    [Theory]
    [InlineData("session-abc")]
    [InlineData("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")]
    [InlineData("ünïcødé ✓")]
    [InlineData("")]
    public void DeriveUuid_MatchesIndependentSha256Derivation(string text)
    {
        var uuid = RootSession.DeriveUuid(text);

        Assert.Equal(ExpectedUuid(text), uuid);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", uuid);
    }

    [Fact]
    public void DeriveUuid_KnownVector()
        // SHA-256("abc") = ba7816bf 8f01 cfea 4141 40de5dae2223...; byte 6 0xcf → 0x4f, byte 8 0x41 → 0x81.
        => Assert.Equal("ba7816bf-8f01-4fea-8141-40de5dae2223", RootSession.DeriveUuid("abc"));

    [Fact]
    public void DeriveUuid_LongText_MatchesIndependentDerivation()
    {
        var text = new string('x', 5000);
        Assert.Equal(ExpectedUuid(text), RootSession.DeriveUuid(text));
    }

    [Fact]
    public void MetadataLegacyForm_GivesUserAndSession()
    {
        Assert.True(MetadataUserId.TryParse("user_abc123_account_acc-1_session_6f1c2b7e-1111-2222-3333-444455556666", out var parsed));
        Assert.Equal(new MetadataUserId("abc123", "6f1c2b7e-1111-2222-3333-444455556666"), parsed);
    }

    [Fact]
    public void MetadataLegacyForm_EmptyAccount_Parses()
    {
        Assert.True(MetadataUserId.TryParse("user_u1_account__session_s1", out var parsed));
        Assert.Equal(new MetadataUserId("u1", "s1"), parsed);
    }

    [Theory]
    [InlineData("""{"device_id":"dev","account_uuid":"acc","session_id":"s"}""", "dev", "s")]
    [InlineData("""{"account_uuid":"acc","session_id":"s"}""", "acc", "s")]
    [InlineData("""{"session_id":"s"}""", null, "s")]
    [InlineData("""{"device_id":"dev"}""", "dev", null)]
    public void MetadataJsonForm_Parsed(string value, string? user, string? session)
    {
        Assert.True(MetadataUserId.TryParse(value, out var parsed));
        Assert.Equal(new MetadataUserId(user, session), parsed);
    }

    [Theory]
    [InlineData("plain-user")]
    [InlineData("{not json")]
    [InlineData("user_x_session_y")]
    [InlineData("")]
    public void MetadataOtherForms_NotParsed(string value)
        => Assert.False(MetadataUserId.TryParse(value, out _));

    [Fact]
    public void FromMessages_MetadataSessionWinsOverHeaders()
    {
        var request = JsonAssert.Parse("""{"metadata":{"user_id":"{\"device_id\":\"d\",\"session_id\":\"meta-s\"}"}}""");
        Assert.Equal(("meta-s", RootSessionSource.Metadata), RootSession.FromMessages(request, Headers(("x-session-id", "h"))));
    }

    [Fact]
    public void FromMessages_NoMetadataSession_FirstNonBlankHeader()
    {
        var request = JsonAssert.Parse("""{"metadata":{"user_id":"plain"}}""");
        Assert.Equal(("s2", RootSessionSource.Header), RootSession.FromMessages(request, Headers(("x-root-session-id", "  "), ("x-session-id", "s2"))));
        Assert.Equal(((string?)null, RootSessionSource.None), RootSession.FromMessages(new JsonObject(), Headers()));
    }

    [Fact]
    public void ResponsesAndChatHeaders_InSpecOrder()
    {
        var headers = Headers(("x-session-id", "xs"), ("session-id", "dash"), ("x-root-session-id", "root"));
        Assert.Equal("dash", RootSession.FromResponsesHeaders(headers));
        Assert.Equal("root", RootSession.FromChatHeaders(headers));
        Assert.Equal("under", RootSession.FromResponsesHeaders(Headers(("session_id", "under"), ("session-id", "dash"))));
    }
}
