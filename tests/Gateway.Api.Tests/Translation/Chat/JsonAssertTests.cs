using Xunit.Sdk;

namespace Gateway.Api.Tests.Translation.Chat;

public sealed class JsonAssertTests
{
    [Fact]
    public void ReorderedMembers_AreEqual()
    {
        JsonAssert.Equal("""{"a":1,"b":[1,2.0]}""", """{"b":[1,2],"a":1.0}""");
    }

    [Theory]
    [InlineData("""{"a":{"b":[1,2]}}""", """{"a":{"b":[1,3]}}""", "$.a.b[1]")]
    [InlineData("""{"a":"x"}""", """{"a":"x","c":1}""", "$.c: unexpected property")]
    [InlineData("""{"a":"x","c":1}""", """{"a":"x"}""", "$.c: missing (expected 1)")]
    [InlineData("""{"a":[1]}""", """{"a":[1,2]}""", "$.a: expected 1 items")]
    [InlineData("""{"a":null}""", """{"a":"null"}""", "$.a: expected Null")]
    public void Difference_IsReportedWithItsPath(string expected, string actual, string messagePart)
    {
        var error = Assert.Throws<XunitException>(() => JsonAssert.Equal(expected, actual));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }
}
