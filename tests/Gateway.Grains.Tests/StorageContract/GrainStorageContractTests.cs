using Orleans.Storage;

namespace Gateway.Grains.Tests.StorageContract;

/// <summary>
/// What every <see cref="IGrainStorage"/> the gateway registers as <c>"gateway"</c> must do (DESIGN.md §4: both
/// stores pass the same contract suite). Derive, return the provider from a running silo's services in
/// <see cref="CreateStorageAsync"/>, and every test here runs against it. Each test uses fresh grain ids, so one
/// provider instance (and one database) may be shared by all tests of a derived class.
/// </summary>
public abstract class GrainStorageContractTests
{
    private const string StateName = "s";

    /// <summary>The provider under test, as the silo resolves it by name.</summary>
    protected abstract Task<IGrainStorage> CreateStorageAsync();

    [Fact]
    public async Task ReadOfMissingRecord_ReportsNoRecordAndDefaultState()
    {
        var storage = await CreateStorageAsync();
        var state = new GrainState<ContractTestState>();

        await storage.ReadStateAsync(StateName, NewGrainId(), state);

        Assert.False(state.RecordExists, "a never-written state must read as not existing");
        Assert.Null(state.ETag);
        Assert.Equal(new ContractTestState().ToString(), Describe(state));
    }

    [Fact]
    public async Task WriteThenRead_RoundTripsStateAndEtag()
    {
        var storage = await CreateStorageAsync();
        var grainId = NewGrainId();
        var written = new GrainState<ContractTestState> { State = Sample("first", 1) };

        await storage.WriteStateAsync(StateName, grainId, written);
        var read = await ReadAsync(storage, grainId);

        Assert.True(written.RecordExists);
        Assert.NotNull(written.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(Sample("first", 1).ToString(), Describe(read));
    }

    [Fact]
    public async Task SecondWrite_GetsNewEtagAndReplacesState()
    {
        var storage = await CreateStorageAsync();
        var grainId = NewGrainId();
        var state = new GrainState<ContractTestState> { State = Sample("first", 1) };
        await storage.WriteStateAsync(StateName, grainId, state);
        var firstEtag = state.ETag;

        state.State = Sample("second", 2);
        await storage.WriteStateAsync(StateName, grainId, state);
        var read = await ReadAsync(storage, grainId);

        Assert.NotEqual(firstEtag, state.ETag);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(Sample("second", 2).ToString(), Describe(read));
    }

    [Fact]
    public async Task WriteWithStaleEtag_ThrowsInconsistentStateAndKeepsNewerState()
    {
        var storage = await CreateStorageAsync();
        var grainId = NewGrainId();
        var first = new GrainState<ContractTestState> { State = Sample("first", 1) };
        await storage.WriteStateAsync(StateName, grainId, first);
        var stale = new GrainState<ContractTestState> { State = Sample("stale", 9), ETag = first.ETag, RecordExists = true };
        first.State = Sample("newer", 2);
        await storage.WriteStateAsync(StateName, grainId, first);

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, stale));

        var read = await ReadAsync(storage, grainId);
        Assert.Equal(first.ETag, read.ETag);
        Assert.Equal(Sample("newer", 2).ToString(), Describe(read));
    }

    [Fact]
    public async Task FirstWriteOverExistingRecord_ThrowsInconsistentState()
    {
        var storage = await CreateStorageAsync();
        var grainId = NewGrainId();
        var existing = new GrainState<ContractTestState> { State = Sample("existing", 1) };
        await storage.WriteStateAsync(StateName, grainId, existing);
        var unaware = new GrainState<ContractTestState> { State = Sample("unaware", 2) };

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, unaware));

        var read = await ReadAsync(storage, grainId);
        Assert.Equal(existing.ETag, read.ETag);
        Assert.Equal(Sample("existing", 1).ToString(), Describe(read));
    }

    [Fact]
    public async Task ClearThenRead_ReportsNoRecord()
    {
        var storage = await CreateStorageAsync();
        var grainId = NewGrainId();
        var state = new GrainState<ContractTestState> { State = Sample("doomed", 1) };
        await storage.WriteStateAsync(StateName, grainId, state);

        await storage.ClearStateAsync(StateName, grainId, state);
        var read = await ReadAsync(storage, grainId);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.False(read.RecordExists, "a cleared state must read as not existing");
        Assert.Null(read.ETag);
        Assert.Equal(new ContractTestState().ToString(), Describe(read));
    }

    [Fact]
    public async Task ClearWithStaleEtag_ThrowsInconsistentStateAndKeepsRecord()
    {
        var storage = await CreateStorageAsync();
        var grainId = NewGrainId();
        var state = new GrainState<ContractTestState> { State = Sample("first", 1) };
        await storage.WriteStateAsync(StateName, grainId, state);
        var stale = new GrainState<ContractTestState> { State = state.State, ETag = state.ETag, RecordExists = true };
        state.State = Sample("newer", 2);
        await storage.WriteStateAsync(StateName, grainId, state);

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grainId, stale));

        var read = await ReadAsync(storage, grainId);
        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task WriteAfterClear_CreatesRecordWithEtagUnlikeAnyBefore()
    {
        var storage = await CreateStorageAsync();
        var grainId = NewGrainId();
        var state = new GrainState<ContractTestState> { State = Sample("first", 1) };
        await storage.WriteStateAsync(StateName, grainId, state);
        var stale = new GrainState<ContractTestState> { State = Sample("stale", 9), ETag = state.ETag, RecordExists = true };
        await storage.ClearStateAsync(StateName, grainId, state);

        state.State = Sample("reborn", 3);
        await storage.WriteStateAsync(StateName, grainId, state);

        Assert.NotEqual(stale.ETag, state.ETag);
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, stale));
        var read = await ReadAsync(storage, grainId);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(Sample("reborn", 3).ToString(), Describe(read));
    }

    [Fact]
    public async Task TwoStateNamesOnOneGrain_AreIndependent()
    {
        var storage = await CreateStorageAsync();
        var grainId = NewGrainId();
        var a = new GrainState<ContractTestState> { State = Sample("a", 1) };
        var b = new GrainState<ContractTestState> { State = Sample("b", 2) };
        await storage.WriteStateAsync("a", grainId, a);
        await storage.WriteStateAsync("b", grainId, b);

        await storage.ClearStateAsync("a", grainId, a);
        var readA = await ReadAsync(storage, grainId, "a");
        var readB = await ReadAsync(storage, grainId, "b");

        Assert.False(readA.RecordExists);
        Assert.True(readB.RecordExists);
        Assert.Equal(b.ETag, readB.ETag);
        Assert.Equal(Sample("b", 2).ToString(), Describe(readB));
    }

    [Fact]
    public async Task SameKeyAndStateNameOnTwoGrainTypes_AreIndependent()
    {
        var storage = await CreateStorageAsync();
        var key = Guid.NewGuid().ToString("N");
        var first = GrainId.Create("contract-first", key);
        var second = GrainId.Create("contract-second", key);
        await storage.WriteStateAsync(StateName, first, new GrainState<ContractTestState> { State = Sample("first", 1) });

        var readSecond = await ReadAsync(storage, second);
        await storage.WriteStateAsync(StateName, second, new GrainState<ContractTestState> { State = Sample("second", 2) });
        var readFirst = await ReadAsync(storage, first);

        Assert.False(readSecond.RecordExists, "a state of another grain type with the same key must not be visible");
        Assert.Equal(Sample("first", 1).ToString(), Describe(readFirst));
    }

    [Fact]
    public async Task OneMegabytePayload_RoundTrips()
    {
        var storage = await CreateStorageAsync();
        var grainId = NewGrainId();
        var blob = new byte[1024 * 1024];
        new Random(20261124).NextBytes(blob);
        var state = new GrainState<ContractTestState> { State = new ContractTestState { Name = "large", Count = 7, Blob = blob } };

        await storage.WriteStateAsync(StateName, grainId, state);
        var read = await ReadAsync(storage, grainId);

        Assert.Equal(state.ETag, read.ETag);
        Assert.NotNull(read.State);
        Assert.Equal("large", read.State.Name);
        Assert.Equal(7, read.State.Count);
        Assert.True(blob.AsSpan().SequenceEqual(read.State.Blob), $"expected the 1 MiB blob back, got {Describe(read)}");
    }

    [Fact]
    public async Task ConcurrentWritersFromOneEtag_ExactlyOneWins()
    {
        const int writers = 8;
        var storage = await CreateStorageAsync();
        var grainId = NewGrainId();
        var initial = new GrainState<ContractTestState> { State = Sample("initial", 0) };
        await storage.WriteStateAsync(StateName, grainId, initial);
        var contenders = Enumerable.Range(1, writers)
            .Select(i => new GrainState<ContractTestState> { State = Sample($"writer-{i}", i), ETag = initial.ETag, RecordExists = true })
            .ToArray();

        var outcomes = await Task.WhenAll(contenders.Select(async contender =>
        {
            await Task.Yield();
            try
            {
                await storage.WriteStateAsync(StateName, grainId, contender);
                return (Contender: contender, Error: (Exception?)null);
            }
            catch (Exception exception)
            {
                return (Contender: contender, Error: exception);
            }
        }));

        var winners = outcomes.Where(o => o.Error is null).Select(o => o.Contender).ToArray();
        var losers = outcomes.Where(o => o.Error is not null).ToArray();
        Assert.True(winners.Length == 1, $"expected exactly one winner among {writers} writers, got {winners.Length}");
        Assert.All(losers, loser => Assert.IsAssignableFrom<InconsistentStateException>(loser.Error));
        var read = await ReadAsync(storage, grainId);
        Assert.Equal(winners[0].ETag, read.ETag);
        Assert.Equal(Describe(winners[0]), Describe(read));
    }

    /// <summary>A grain id no other test uses, so tests may share one store.</summary>
    protected static GrainId NewGrainId() => GrainId.Create("contract-test", Guid.NewGuid().ToString("N"));

    private static ContractTestState Sample(string name, int count) =>
        new() { Name = name, Count = count, Blob = [(byte)count, 0x00, 0xFF] };

    private static string Describe(GrainState<ContractTestState> state) => state.State?.ToString() ?? "<null state>";

    private static async Task<GrainState<ContractTestState>> ReadAsync(
        IGrainStorage storage, GrainId grainId, string stateName = StateName)
    {
        var state = new GrainState<ContractTestState>();
        await storage.ReadStateAsync(stateName, grainId, state);
        return state;
    }
}
