namespace Vouch.Tests.Reputation;

/// <summary>One private Redis server shared by a test class (xunit class fixture).</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? server;

    internal RedisServer Server => server ?? throw new InvalidOperationException("The Redis server has not started.");

    public async Task InitializeAsync() => server = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
