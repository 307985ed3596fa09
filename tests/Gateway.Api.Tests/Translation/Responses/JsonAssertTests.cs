using Xunit.Sdk;

namespace Gateway.Api.Tests.Translation.Responses;

public sealed class JsonAssertTests
{
    [Fact]
    public void ReorderedProperties_AreEqual()
    {
        JsonAssert.Equal("""{"a":1,"b":[1,{"c":"x"}]}""", """{"b":[1,{"c":"x"}],"a":1.0}""");
    }

    [Theory]
    [InlineData("""{"a":{"b":[1,2]}}""", """{"a":{"b":[1,3]}}""", "$.a.b[1]")]
    [InlineData("""{"a":1}""", """{"a":1,"z":null}""", "$.z: unexpected")]
    [InlineData("""{"a":1,"m":2}""", """{"a":1}""", "$.m: missing")]
    [InlineData("""[1]""", """[1,2]""", "$: expected 1 items, found 2")]
    public void Difference_IsReportedWithItsPath(string expected, string actual, string path)
    {
        var failure = Assert.Throws<XunitException>(() => JsonAssert.Equal(expected, actual));

        Assert.Contains(path, failure.Message, StringComparison.Ordinal);
    }
}
