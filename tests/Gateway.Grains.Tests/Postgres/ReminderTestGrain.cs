namespace Gateway.Grains.Tests.Postgres;

public sealed class ReminderTestGrain : Grain, IReminderTestGrain, IRemindable
{
    public Task RegisterAsync(string name, TimeSpan dueTime, TimeSpan period)
        => this.RegisterOrUpdateReminder(name, dueTime, period);

    public async Task<IReadOnlyList<string>> ListAsync()
    {
        var reminders = await this.GetReminders();
        return [.. reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal)];
    }

    public async Task UnregisterAsync(string name)
    {
        var reminder = await this.GetReminder(name)
            ?? throw new InvalidOperationException($"Reminder '{name}' is not registered.");
        await this.UnregisterReminder(reminder);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
