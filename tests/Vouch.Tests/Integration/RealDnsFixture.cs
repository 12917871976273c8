using Vouch.Dns;

namespace Vouch.Tests.Integration;

/// <summary>
/// One NSD for the integration tests, serving the zone files in tests/zones/ (origin = file name less
/// ".zone") and a zone "broken.test." that fails to load, so NSD answers SERVFAIL for it.
/// </summary>
public sealed class RealDnsFixture : IAsyncLifetime
{
    private NsdServer? server;

    internal NsdServer Server => server ?? throw new InvalidOperationException("the DNS server did not start");

    public string Address => Server.Address;

    public NetworkResolver NewResolver(TimeSpan? timeout = null) =>
        new(new NetworkResolverOptions { Servers = [Server.Endpoint], Timeout = timeout ?? TimeSpan.FromSeconds(2) });

    public async Task InitializeAsync()
    {
        var zones = Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "tests", "zones"), "*.zone")
            .ToDictionary(path => Path.GetFileNameWithoutExtension(path) + ".", File.ReadAllText);
        server = await NsdServer.StartAsync(zones, ["broken.test."]);
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
