namespace Gateway.Api.Catalog;

/// <summary>A requested model resolved against a catalogue; <see cref="Info"/> is null for unknown ids (forwarded as given).</summary>
public readonly record struct ResolvedModel(string Id, ModelInfo? Info);

public static class ModelLookup
{
    public static ResolvedModel Resolve(string requested, ModelCatalog catalog)
    {
        if (catalog.Find(requested) is { } exact)
        {
            return new ResolvedModel(exact.Id, exact);
        }
        var id = Messages.ModelResolver.Resolve(requested, catalog.Ids);
        return new ResolvedModel(id, catalog.Find(id));
    }
}
