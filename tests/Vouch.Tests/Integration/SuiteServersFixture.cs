using System.Collections.Concurrent;
using Vouch.Tests.Conformance;

namespace Vouch.Tests.Integration;

/// <summary>One NSD per section of the RFC 7208 suite, each serving that section's zonedata as a root zone; started on first use, all stopped at the end.</summary>
public sealed class SuiteServersFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<NsdServer>>> servers = new();

    internal Task<NsdServer> ServerForAsync(SuiteCase suiteCase) =>
        servers.GetOrAdd(suiteCase.Section, _ => new Lazy<Task<NsdServer>>(() => StartAsync(suiteCase))).Value;

    private static async Task<NsdServer> StartAsync(SuiteCase suiteCase)
    {
        var server = await NsdServer.StartAsync(new Dictionary<string, string> { ["."] = ZoneTextWriter.WriteRootZone(suiteCase.Zone) });
        var log = await server.ReadLogAsync();
        if (log.Contains("error", StringComparison.OrdinalIgnoreCase))
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"NSD could not load the zone of section '{suiteCase.Section}': {log}");
        }

        return server;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in servers.Values.Where(s => s.IsValueCreated))
        {
            try
            {
                await (await server.Value).DisposeAsync();
            }
            catch (InvalidOperationException)
            {
                // A server that never started has nothing to stop.
            }
        }
    }
}
