namespace Vouch.Tests.Integration;

/// <summary>The tests that share one real DNS server.</summary>
[CollectionDefinition(Name)]
public sealed class RealDnsCollection : ICollectionFixture<RealDnsFixture>
{
    public const string Name = "real DNS server";
}
