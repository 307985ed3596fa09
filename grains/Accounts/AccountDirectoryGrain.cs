using Gateway.Grains.Abstractions.Accounts;

namespace Gateway.Grains.Accounts;

[GenerateSerializer, Alias("gw.AccountDirectoryState")]
public sealed class AccountDirectoryState
{
    [Id(0)] public List<string> Logins { get; set; } = [];
    [Id(1)] public long Version { get; set; }
}

/// <summary>The cluster's list of GitHub accounts, in the order they were added.</summary>
public sealed class AccountDirectoryGrain(
    [PersistentState("directory", "gateway")] IPersistentState<AccountDirectoryState> state) : Grain, IAccountDirectoryGrain
{
    public async Task AddAsync(string login)
    {
        if (state.State.Logins.Contains(login, StringComparer.Ordinal))
        {
            return;
        }
        state.State.Logins.Add(login);
        state.State.Version++;
        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(string login)
    {
        if (state.State.Logins.Remove(login))
        {
            state.State.Version++;
            await state.WriteStateAsync();
        }
    }

    public Task<AccountDirectory> GetAsync() => Task.FromResult(new AccountDirectory(state.State.Version, state.State.Logins.ToArray()));
}
