namespace Gateway.Api.Messages;

// Interim: replaced by the full SPEC §2.5 resolver from the messages pre-processing work.
public static class ModelResolver
{
    public static string Resolve(string requested, IReadOnlyCollection<string> catalogueIds) => requested;
}
