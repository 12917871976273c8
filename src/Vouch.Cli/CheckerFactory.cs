using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Registration;

namespace Vouch.Cli;

/// <summary>Builds the checker a command uses from its options: configuration file, zone files, DNS servers.</summary>
internal static class CheckerFactory
{
    /// <summary>Builds the checker; the caller owns the returned resolver setup and disposes it.</summary>
    /// <exception cref="UsageException">The configuration, a zone file, a --dns value or the Public Suffix List is unusable.</exception>
    public static async Task<(SenderChecker Checker, ResolverSetup Resolver)> CreateAsync(
        string? configPath, IReadOnlyList<string> zoneFiles, IReadOnlyList<string> dnsServers, bool collectTrace, TextWriter error, CancellationToken cancellationToken)
    {
        var configuration = VouchConfiguration.Default;
        if (configPath is not null)
        {
            try
            {
                configuration = await ConfigurationLoader.LoadAsync(configPath, cancellationToken);
            }
            catch (ConfigurationException exception)
            {
                throw new UsageException($"configuration {exception.Message}");
            }
        }

        configuration = configuration with { Checks = configuration.Checks with { CollectTrace = collectTrace } };
        var resolver = await ResolverFactory.CreateAsync(zoneFiles, dnsServers, configuration, cancellationToken);
        try
        {
            PublicSuffixList suffixes;
            try
            {
                suffixes = await PublicSuffixList.LoadAsync(configuration.Registration.PublicSuffixListPath, cancellationToken);
            }
            catch (PublicSuffixListException exception)
            {
                throw new UsageException(exception.Message);
            }

            var checker = new SenderChecker(resolver.Resolver, suffixes, configuration);

            // RFC 5782 §5: test each DNS list before trusting it; a failing list is left out, loudly.
            foreach (var status in await checker.DnsLists.SelfTestAsync(cancellationToken))
            {
                if (status.Suspended)
                {
                    await error.WriteLineAsync($"vouch: warning: DNS list {status.List.Name} ({status.List.Zone}) is suspended: {status.Detail}");
                }
            }

            return (checker, resolver);
        }
        catch
        {
            await resolver.DisposeAsync();
            throw;
        }
    }
}
