namespace Gateway.Grains.Tests.Postgres;

/// <summary>A grain that registers reminders, to exercise the ADO.NET reminder table.</summary>
[Alias("gw.tests.IReminderTestGrain")]
public interface IReminderTestGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan period);

    /// <summary>The names of this grain's reminders as the reminder service reads them back, sorted.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();

    [Alias("Unregister")]
    Task UnregisterAsync(string name);
}
