using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Vouch.Configuration;
using Vouch.Dns;
using Vouch.Lists;
using Vouch.Network;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Reputation;
using Vouch.Rmx;
using Vouch.Smtp;
using Vouch.Spf;

namespace Vouch.Checks;

/// <summary>
/// Runs the checks for a request and applies the decision table: SPF for both identities, FCrDNS, MX registration,
/// RMX, the local lists and the DNS lists. Checks that do not depend on each other run together. With
/// <c>[checks] gather = "decisive"</c> (enforce mode's default) only what the table's rows need is asked, row by row,
/// until one decides. Thread-safe: one instance serves every request of a process.
/// </summary>
public sealed class SenderChecker
{
    private readonly EvidenceSources sources;
    private readonly OwnMxHostCheck ownMxHosts;
    private readonly PolicyOptions policy;
    private readonly TimeProvider timeProvider;
    private readonly EvidencePieces requiredByHeader;
    private readonly ConcurrentQueue<CancellationTokenSource> idleDeadlines = new();

    /// <summary>Creates the checker.</summary>
    /// <param name="resolver">Where every DNS question goes.</param>
    /// <param name="suffixes">The Public Suffix List.</param>
    /// <param name="configuration">The settings; null means <see cref="VouchConfiguration.Default"/>.</param>
    /// <param name="loggerFactory">For the DNS lists' self-test log lines; null means none.</param>
    /// <param name="timeProvider">The clock (mode switch, %{t}, deadlines); null means the system clock.</param>
    /// <param name="reputation">The in-memory reputation map the reputation rows read; null when reputation is off.</param>
    public SenderChecker(IDnsResolver resolver, PublicSuffixList suffixes, VouchConfiguration? configuration = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, ReputationStateMap? reputation = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(suffixes);
        configuration ??= VouchConfiguration.Default;
        this.timeProvider = timeProvider ?? TimeProvider.System;
        Configuration = configuration;
        Resolver = resolver;
        Suffixes = suffixes;
        sources = new EvidenceSources(
            new SpfChecker(resolver, configuration.Spf with { Deadline = configuration.Checks.Deadline, CollectTrace = configuration.Checks.CollectTrace }, this.timeProvider),
            new FcrdnsCheck(resolver, configuration.Registration),
            new MxRegistrationCheck(resolver, suffixes, configuration.Registration),
            new RmxCheck(resolver, configuration.Rmx, collectSteps: configuration.Checks.CollectTrace),
            new LocalLists(configuration.Lists),
            new DnsListChecker(resolver, configuration.Lists, loggerFactory?.CreateLogger<DnsListChecker>(), this.timeProvider),
            suffixes,
            configuration,
            reputation);
        ownMxHosts = new OwnMxHostCheck(resolver, configuration.Server.SkipDomains, configuration.Registration);
        policy = configuration.Policy;
        foreach (var header in configuration.Checks.WrittenHeaders ?? [configuration.Server.Header])
        {
            requiredByHeader |= RequiredBy(header);
        }
    }

    /// <summary>Where every DNS question of the checks goes.</summary>
    public IDnsResolver Resolver { get; }

    /// <summary>The settings in force.</summary>
    public VouchConfiguration Configuration { get; }

    /// <summary>The Public Suffix List the checks find organisational domains with.</summary>
    public PublicSuffixList Suffixes { get; }

    /// <summary>The DNS lists, for their self-tests (<see cref="DnsListChecker.RunSelfTestsAsync"/>).</summary>
    public DnsListChecker DnsLists => sources.DnsLists;

    /// <summary>The in-memory reputation map, or null when reputation is off.</summary>
    public ReputationStateMap? Reputation => sources.Reputation;

    /// <summary>
    /// Checks a request and decides. The whole check has the deadline <see cref="ChecksOptions.Deadline"/>
    /// (default 20 s): past it, what is not known yet counts as a temporary failure (grey), never a verdict.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<CheckOutcome> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deadline = RentDeadline();
        // The caller's cancellation reaches the checks through the deadline's token: one source, no linked pair.
        var forwarded = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), deadline);
        try
        {
            // WaitAsync: the deadline holds even where a lookup does not watch the token.
            return await CheckWithinAsync(request, deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeadlinePassed(request);
        }
        finally
        {
            forwarded.Dispose();
            ReturnDeadline(deadline);
        }
    }

    /// <summary>
    /// A source that cancels after <see cref="ChecksOptions.Deadline"/>: one whose time did not run out is reused, its
    /// timer re-armed, as a timer and a source per request would be most of a warm check's allocations.
    /// </summary>
    private CancellationTokenSource RentDeadline()
    {
        // Only the system clock's sources can be reset; another TimeProvider's timer would still fire.
        if (timeProvider == TimeProvider.System && idleDeadlines.TryDequeue(out var idle))
        {
            idle.CancelAfter(Configuration.Checks.Deadline);
            return idle;
        }

        return new CancellationTokenSource(Configuration.Checks.Deadline, timeProvider);
    }

    private void ReturnDeadline(CancellationTokenSource deadline)
    {
        if (timeProvider == TimeProvider.System && idleDeadlines.Count < MaxIdleDeadlines && deadline.TryReset())
        {
            idleDeadlines.Enqueue(deadline);
            return;
        }

        deadline.Dispose();
    }

    /// <summary>Sources kept for reuse: more than the checks in flight at once would only hold memory.</summary>
    private const int MaxIdleDeadlines = 1024;

    /// <summary>The outcome when the deadline passed: every check counts as a temporary failure.</summary>
    private CheckOutcome DeadlinePassed(CheckRequest request)
    {
        var problem = $"the check did not finish within its deadline of {Configuration.Checks.Deadline.TotalSeconds:0.###} s";
        var evidence = new Evidence(request,
            SpfResult.Unfinished(SpfIdentity.MailFrom, request.Sender.IsNull ? request.Helo.Text : request.Sender.Domain, request.Sender.Text, problem),
            SpfResult.Unfinished(SpfIdentity.Helo, request.Helo.Text, request.Sender.Text, problem),
            FcrdnsResult.Unfinished(problem),
            RegistrationResult.Unfinished(problem),
            sources.LocalLists.FindAllowed(request.Client, []), null, [],
            RmxResult.Unfinished(problem));
        return Decide(evidence);
    }

    private CheckOutcome Decide(Evidence evidence)
    {
        var now = timeProvider.GetUtcNow();
        var decision = PolicyEngine.Decide(evidence, policy, now);

        // [reputation] suspect_action = "defer-once": the first message of a suspect owner from one address is
        // deferred, its retry tagged (SPFBL's yellow state). Asked once per request, here, so the engine stays pure.
        if (decision.Rule.When == RuleCondition.OwnerSuspect && sources.Reputation is { Options.SuspectDeferOnce: true } map
            && evidence.Reputation.Vouching is { } vouching && map.IsFirstAttempt(vouching.Owner, evidence.Request.Client, now))
        {
            evidence = evidence with { Reputation = evidence.Reputation with { DeferNow = true } };
            decision = PolicyEngine.Decide(evidence, policy, now);
        }

        return new(evidence, decision, policy);
    }

    private async Task<CheckOutcome> CheckWithinAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        if (TrustedNetworkOf(request.Client) is { } trusted)
        {
            return Decide(UncheckedEvidence(request, "not checked: the client is in a trusted network") with { TrustedNetwork = trusted.ToString() });
        }

        if (!ownMxHosts.IsEmpty && await ownMxHosts.FindAsync(request.Client, cancellationToken).ConfigureAwait(false) is { } ownHost)
        {
            return Decide(UncheckedEvidence(request, "not checked: the client is one of our own MX hosts") with { OwnMxHost = ownHost });
        }

        var gatherer = new EvidenceGatherer(sources, request, cancellationToken);
        if (!GathersDecisively())
        {
            // Registration finds a sender's Null MX on its own way; the separate question would only repeat it.
            await gatherer.GatherAsync(EvidencePieces.All & ~EvidencePieces.SenderNullMx).ConfigureAwait(false);
            return Decide(gatherer.Evidence);
        }

        gatherer.Start(requiredByHeader | gatherer.Free);
        var rules = policy.Rules;
        for (var index = 0; index < rules.Count; index++)
        {
            var condition = rules[index].When;
            for (var needs = PolicyEngine.Needs(condition, gatherer.Evidence, gatherer.Gathered); needs != EvidencePieces.None;
                 needs = PolicyEngine.Needs(condition, gatherer.Evidence, gatherer.Gathered))
            {
                gatherer.Start(needs | NeededUpToNextWhiteRow(index, gatherer));
                await gatherer.GatherAsync(needs).ConfigureAwait(false);
            }

            if (PolicyEngine.Holds(condition, gatherer.Evidence))
            {
                // The reason may name evidence the row did not test. Earlier rows read only what they needed, which
                // stays as it was, so the table decides on this evidence as it did row by row.
                gatherer.Start(ReasonTemplate.Needs(rules[index].Reason));
                break;
            }
        }

        // Whatever started is awaited and reported, never left running: the header's pieces, and the lookahead's.
        gatherer.Start(requiredByHeader);
        while ((gatherer.Started & ~gatherer.Gathered) is var pending && pending != EvidencePieces.None)
        {
            await gatherer.GatherAsync(pending).ConfigureAwait(false);
        }

        return Decide(gatherer.Evidence);
    }

    /// <summary>Whether this check asks only what the decision needs: <c>[checks] gather</c>, or by the mode in force when it is auto.</summary>
    private bool GathersDecisively() => Configuration.Checks.Gather switch
    {
        EvidenceGathering.Decisive => true,
        EvidenceGathering.All => false,
        _ => policy.ModeAt(timeProvider.GetUtcNow()) == PolicyMode.Enforce,
    };

    /// <summary>
    /// What the rows after <paramref name="index"/> need, up to and including the next white row: the rows a request
    /// must get past before it can be accepted, started together with the current one's so that they overlap. A
    /// row's second half (spf_pass's HELO check) waits until its first has not decided.
    /// </summary>
    private EvidencePieces NeededUpToNextWhiteRow(int index, EvidenceGatherer gatherer)
    {
        var needs = EvidencePieces.None;
        var rules = policy.Rules;
        for (var next = index + 1; next < rules.Count; next++)
        {
            needs |= PolicyEngine.Needs(rules[next].When, gatherer.Evidence, gatherer.Gathered);
            if (rules[next].Verdict == Verdict.White)
            {
                break;
            }
        }

        return needs & ~gatherer.Started;
    }

    /// <summary>The pieces a header needs whatever decides: Received-SPF the MAIL FROM result; Authentication-Results both SPF results, iprev and registration; X-RMX the RMX result.</summary>
    private static EvidencePieces RequiredBy(TagHeader header) => header switch
    {
        TagHeader.ReceivedSpf => EvidencePieces.MailFromSpf,
        TagHeader.AuthenticationResults => EvidencePieces.MailFromSpf | EvidencePieces.HeloSpf | EvidencePieces.Fcrdns | EvidencePieces.Registration,
        TagHeader.XRmx => EvidencePieces.Rmx,
        _ => EvidencePieces.None,
    };

    /// <summary>The trusted network (<c>[server] skip_networks</c>) the client is in, or null.</summary>
    private AddressPrefix? TrustedNetworkOf(IPAddress client)
    {
        foreach (var network in Configuration.Server.SkipNetworks)
        {
            if (network.Contains(client))
            {
                return network;
            }
        }

        return null;
    }

    /// <summary>Evidence where nothing was asked (a trusted relay, one of our own MX hosts): the row for that decides alone.</summary>
    private static Evidence UncheckedEvidence(CheckRequest request, string why) =>
        new(request,
            SpfResult.NotAsked(SpfIdentity.MailFrom, request.Sender.IsNull ? request.Helo.Text : request.Sender.Domain, why, wasChecked: false),
            SpfResult.NotAsked(SpfIdentity.Helo, request.Helo.Text, why, wasChecked: false),
            FcrdnsResult.NotChecked, RegistrationResult.NotChecked, null, null, [], new RmxResult(RmxResultCode.NoRmx, "", null, null, [why]));
}
