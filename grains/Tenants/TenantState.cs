using Gateway.Grains.Abstractions.Tenants;

namespace Gateway.Grains.Tenants;

[GenerateSerializer, Alias("gw.TenantState")]
public sealed class TenantState
{
    [Id(0)] public bool Exists { get; set; }
    /// <summary>A deleted tenant keeps its id reserved, so old key ids never point at a new tenant.</summary>
    [Id(1)] public bool Deleted { get; set; }
    [Id(2)] public TenantSettings? Settings { get; set; }
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Keys by key id, in creation order.</summary>
    [Id(5)] public List<TenantKeyState> Keys { get; set; } = [];
}

[GenerateSerializer, Alias("gw.TenantKeyState")]
public sealed class TenantKeyState
{
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public string Prefix { get; set; } = "";
    [Id(3)] public string Hash { get; set; } = "";
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public DateTimeOffset? ExpiresAt { get; set; }
    [Id(6)] public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>Secrets replaced by rotation that still work until their time (grace window).</summary>
    [Id(7)] public List<RetiredSecret> Retired { get; set; } = [];
}

[GenerateSerializer, Alias("gw.RetiredSecret")]
public sealed class RetiredSecret
{
    [Id(0)] public string Hash { get; set; } = "";
    [Id(1)] public DateTimeOffset Until { get; set; }
}
