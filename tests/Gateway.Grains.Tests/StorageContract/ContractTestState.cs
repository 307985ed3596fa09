namespace Gateway.Grains.Tests.StorageContract;

/// <summary>State written by <see cref="GrainStorageContractTests"/>: only <c>[GenerateSerializer]</c>, as grain states are.</summary>
[GenerateSerializer, Alias("gw.tests.contract-state")]
public sealed class ContractTestState
{
    [Id(0)]
    public string? Name { get; set; }

    [Id(1)]
    public int Count { get; set; }

    [Id(2)]
    public byte[] Blob { get; set; } = [];

    /// <summary>A readable form for assertion messages and equality checks.</summary>
    public override string ToString() =>
        $"Name={Name ?? "<null>"}, Count={Count}, Blob={Blob.Length} bytes sha256:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Blob))}";
}
