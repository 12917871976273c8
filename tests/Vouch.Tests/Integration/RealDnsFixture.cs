using Vouch.Dns.Wire;

namespace Vouch.Tests.Integration;

/// <summary>
/// One NSD for the integration tests, serving the zone files in tests/zones/ (origin = file name less
/// ".zone") and a zone "broken.test." that fails to load, so NSD answers SERVFAIL for it.
/// </summary>
public sealed class RealDnsFixture : IAsyncLifetime
{
    private readonly List<NetworkResolver> resolvers = [];
    private NsdServer? server;

    internal NsdServer Server => server ?? throw new InvalidOperationException("the DNS server did not start");

    public string Address => Server.Address;

    /// <summary>A resolver asking this server; the fixture closes it at the end.</summary>
    public NetworkResolver NewResolver(TimeSpan? timeout = null, int? udpPayloadSize = null)
    {
        var resolver = new NetworkResolver(new NetworkResolverOptions
        {
            Servers = [Server.Endpoint],
            Timeout = timeout ?? TimeSpan.FromSeconds(2),
            UdpPayloadSize = udpPayloadSize ?? new NetworkResolverOptions().UdpPayloadSize,
        });
        lock (resolvers)
        {
            resolvers.Add(resolver);
        }

        return resolver;
    }

    public async Task InitializeAsync()
    {
        var zones = Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "zones"), "*.zone")
            .ToDictionary(path => Path.GetFileNameWithoutExtension(path) + ".", File.ReadAllText);
        server = await NsdServer.StartAsync(zones, ["broken.test."]);
    }

    public async Task DisposeAsync()
    {
        foreach (var resolver in resolvers)
        {
            await resolver.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
