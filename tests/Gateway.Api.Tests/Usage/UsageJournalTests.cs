using Gateway.Api.Usage;

namespace Gateway.Api.Tests.Usage;

/// <summary>The spill journal: one owner per directory, fallbacks adopted later, nothing lost after dispose.</summary>
public sealed class UsageJournalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gw-usage-journal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void SecondJournal_SameDirectory_FallsBackAndTheNextOwnerAdoptsItsRecords()
    {
        var record = TestRecords.Create();
        string fallback;
        using (var owner = new UsageJournal(_directory))
        {
            using var second = new UsageJournal(_directory);
            fallback = second.DirectoryPath;
            second.Append(record);
            Assert.Equal(_directory, owner.DirectoryPath);
            Assert.Equal(_directory, Path.GetDirectoryName(fallback));
        }

        using var next = new UsageJournal(_directory);
        var segment = Assert.Single(next.Rotate());

        Assert.Equal([record], UsageJournal.ReadSegment(segment, out _));
        Assert.False(Directory.Exists(fallback), "the adopted fallback directory should be removed");
    }

    [Fact]
    public void FallbackJournal_DisposedEmpty_RemovesItsDirectory()
    {
        using var owner = new UsageJournal(_directory);
        var second = new UsageJournal(_directory);
        var fallback = second.DirectoryPath;

        second.Dispose();

        Assert.NotEqual(_directory, fallback);
        Assert.False(Directory.Exists(fallback));
    }

    [Fact]
    public void Append_AfterDispose_StillReachesTheFile()
    {
        var before = TestRecords.Create();
        var after = TestRecords.Create();
        var journal = new UsageJournal(_directory);
        journal.Append(before);
        journal.Dispose();

        journal.Append(after);

        using var next = new UsageJournal(_directory);
        Assert.True(next.HasPending);
        var segment = Assert.Single(next.Rotate());
        Assert.Equal([before, after], UsageJournal.ReadSegment(segment, out _));
        Assert.False(next.HasPending);
    }
}
