using Microsoft.Extensions.Logging;
using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Registration;
using Vouch.Reputation;

namespace Vouch.Server;

/// <summary>
/// Builds a checker from what a person gave (<see cref="ServiceSources"/>): the configuration, the resolver,
/// the Public Suffix List, and the DNS lists' first self-test. Every command and every service generation
/// is composed here.
/// </summary>
public static class CheckerFactory
{
    /// <summary>Builds the checker; the caller owns the returned resolver setup and disposes it.</summary>
    /// <param name="sources">The configuration file, zone files and DNS servers.</param>
    /// <param name="collectTrace">Record every query and term, and gather every piece of evidence (for <c>vouch explain</c>).</param>
    /// <param name="warnings">Where a DNS list suspended by its first self-test is reported.</param>
    /// <param name="loggerFactory">For the DNS lists' periodic self-test lines; null means none.</param>
    /// <param name="cancellationToken">Stops the loading.</param>
    /// <param name="frontEnd">Which front end writes the headers: the policy service's <c>[server] header</c>, or the milter's <c>[milter] headers</c>.</param>
    /// <param name="reputationCounters">Where a service counts reports across generations; null gives the ingest its own.</param>
    /// <exception cref="SetupException">The configuration, a zone file, a DNS server or the Public Suffix List is unusable.</exception>
    public static async Task<(SenderChecker Checker, ResolverSetup Resolver)> CreateAsync(
        ServiceSources sources, bool collectTrace, TextWriter warnings, ILoggerFactory? loggerFactory, CancellationToken cancellationToken, FrontEnd frontEnd = FrontEnd.PolicyService, ReportCounters? reputationCounters = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(warnings);
        var configuration = VouchConfiguration.Default;
        if (sources.ConfigurationPath is { } path)
        {
            try
            {
                configuration = await ConfigurationLoader.LoadAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (ConfigurationException exception)
            {
                throw new SetupException($"configuration {exception.Message}", exception);
            }
        }

        // The trace is for explain, which shows every piece of evidence, so it gathers all of them too.
        configuration = configuration with
        {
            Checks = configuration.Checks with
            {
                CollectTrace = collectTrace,
                Gather = collectTrace ? EvidenceGathering.All : configuration.Checks.Gather,
                WrittenHeaders = frontEnd == FrontEnd.Milter ? configuration.Milter.Headers : null,
            },
        };
        var resolver = await ResolverFactory.CreateAsync(sources.ZoneFiles, sources.DnsServers, configuration, cancellationToken, sources.ZonesShadowNetwork).ConfigureAwait(false);
        try
        {
            PublicSuffixList suffixes;
            try
            {
                suffixes = await PublicSuffixList.LoadAsync(configuration.Registration.PublicSuffixListPath, cancellationToken).ConfigureAwait(false);
            }
            catch (PublicSuffixListException exception)
            {
                throw new SetupException(exception.Message, exception);
            }

            if (configuration.Reputation.Enabled)
            {
                // The resolver setup owns the store from here on, so a failure below disposes it too.
                resolver = new ResolverSetup(resolver.Resolver, resolver.Cache, resolver.Network)
                {
                    Reputation = await ReputationSetup.OpenAsync(configuration.Reputation, suffixes, reputationCounters, loggerFactory, null, cancellationToken).ConfigureAwait(false),
                };
            }

            var checker = new SenderChecker(resolver.Resolver, suffixes, configuration, loggerFactory, reputation: resolver.Reputation?.Map);

            // RFC 5782 §5: test each DNS list before trusting it; a failing list is left out, loudly.
            foreach (var status in await checker.DnsLists.SelfTestAsync(cancellationToken).ConfigureAwait(false))
            {
                if (status.Suspended)
                {
                    await warnings.WriteLineAsync($"vouch: warning: DNS list {status.List.Name} ({status.List.Zone}) is suspended: {status.Detail}").ConfigureAwait(false);
                }
            }

            return (checker, resolver);
        }
        catch
        {
            await resolver.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
