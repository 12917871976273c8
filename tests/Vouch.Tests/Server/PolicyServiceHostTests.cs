using System.Net;
using System.Net.Sockets;
using System.Text;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Dns.Caching;
using Vouch.Server;
using Vouch.Tests.Cli;
using Vouch.Tests.Support;

namespace Vouch.Tests.Server;

/// <summary>`vouch serve`'s generations: a reload swaps the whole generation, and a retired one closes only when its requests are answered.</summary>
public sealed class PolicyServiceHostTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("vouch-host-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Request(string instance) =>
        $"request=smtpd_access_policy\nprotocol_state=RCPT\nclient_address=203.0.113.66\nhelo_name=spoofer.example.net\nsender=alice@example.com\ninstance={instance}\n\n";

    private static ServiceGeneration Generation(CachingResolver cache)
    {
        var checker = new SenderChecker(cache, TestSuffixes.List);
        return new ServiceGeneration(checker, new ResolverSetup(cache, cache, null), new PolicyResponder(checker), new Vouch.Server.Milter.MilterResponder(checker));
    }

    [Fact]
    public async Task AReloadSwapsTheGenerationOnTheNextRequestWithoutDroppingTheConnectionAndABadFileKeepsTheRunningOne()
    {
        var config = Path.Combine(directory, "vouch.toml");
        await File.WriteAllTextAsync(config, "mode = \"monitor\"\n[server]\nhost_name = \"mx.receiver.example\"\n");
        using var log = new StringWriter();
        await using var host = await PolicyServiceHost.StartAsync(new ServiceSources(config, [CliRunner.DemoZone], []), TextWriter.Synchronized(log), CancellationToken.None);
        var first = host.Current;
        using var stop = new CancellationTokenSource();
        var bound = new TaskCompletionSource<EndPoint>();
        var listening = host.ListenAsync(new IPEndPoint(IPAddress.Loopback, 0), bound.SetResult, stop.Token);
        using var client = new TcpClient();
        await client.ConnectAsync((IPEndPoint)await bound.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        var stream = client.GetStream();
        using var reader = new StreamReader(stream);

        await stream.WriteAsync(Encoding.UTF8.GetBytes(Request("r1")));
        var before = await reader.ReadLineAsync();
        await reader.ReadLineAsync();
        await File.WriteAllTextAsync(config, "mode = \"enforce\"\n[server]\nhost_name = \"mx.receiver.example\"\n");
        var reloaded = await host.ReloadAsync(CancellationToken.None);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(Request("r2")));
        var after = await reader.ReadLineAsync();
        await reader.ReadLineAsync();
        await File.WriteAllTextAsync(config, "mode = \"enforced\"\n");
        var refused = await host.ReloadAsync(CancellationToken.None);
        var live = host.Current;
        await stream.WriteAsync(Encoding.UTF8.GetBytes(Request("r3")));
        var kept = await reader.ReadLineAsync();
        await stop.CancelAsync();
        client.Close();
        await listening.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("action=PREPEND ", before, StringComparison.Ordinal);
        Assert.True(reloaded);
        Assert.StartsWith("action=550 5.7.23 ", after, StringComparison.Ordinal);
        Assert.False(refused);
        Assert.NotSame(first, live);
        Assert.False(first.TryEnter(), "the superseded generation still takes requests");
        Assert.StartsWith("action=550 5.7.23 ", kept, StringComparison.Ordinal);
        Assert.Contains("vouch: reload refused, keeping the running configuration: configuration ", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARetiredGenerationTakesNoNewRequestAndClosesWhenItsLastRequestIsAnswered()
    {
        var generation = Generation(new CachingResolver(new ScriptedResolver()));
        Assert.True(generation.TryEnter());

        var retiring = generation.RetireAsync();
        var refused = generation.TryEnter();
        var closedEarly = retiring.IsCompleted;
        generation.Leave();
        await retiring.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(refused);
        Assert.False(closedEarly, "closed while a request was still being answered");
    }

    [Fact]
    public async Task AGenerationsCacheCountersAreItsOwn()
    {
        var firstCache = new CachingResolver(new ScriptedResolver());
        var secondCache = new CachingResolver(new ScriptedResolver());
        await using var first = Generation(firstCache);
        await using var second = Generation(secondCache);
        await firstCache.LookupTxtAsync("before.example", CancellationToken.None);
        await secondCache.LookupTxtAsync("after-1.example", CancellationToken.None);
        await secondCache.LookupTxtAsync("after-2.example", CancellationToken.None);
        var metrics = new PolicyMetrics(() => second.CacheStatistics);

        Assert.Equal(1, first.CacheStatistics!.Queries);
        Assert.Contains("vouch_dns_queries_total 2\n", metrics.Render(), StringComparison.Ordinal);
    }
}
