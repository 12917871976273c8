using System.Net;
using Microsoft.Extensions.Logging;
using Vouch.Configuration;
using Vouch.Dns;
using Vouch.Lists;
using Vouch.Network;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Rmx;
using Vouch.Smtp;
using Vouch.Spf;

namespace Vouch.Checks;

/// <summary>
/// Runs every check for a request and applies the decision table: SPF for both identities, FCrDNS, MX
/// registration, RMX, the local lists and the DNS lists. Checks that do not depend on each other run together.
/// Thread-safe: one instance serves every request of a process.
/// </summary>
public sealed class SenderChecker
{
    private readonly SpfChecker spf;
    private readonly FcrdnsCheck fcrdns;
    private readonly MxRegistrationCheck registration;
    private readonly LocalLists localLists;
    private readonly DnsListChecker dnsLists;
    private readonly RmxCheck rmx;
    private readonly OwnMxHostCheck ownMxHosts;
    private readonly PublicSuffixList suffixes;
    private readonly PolicyOptions policy;
    private readonly TimeProvider timeProvider;

    /// <summary>Creates the checker.</summary>
    /// <param name="resolver">Where every DNS question goes.</param>
    /// <param name="suffixes">The Public Suffix List.</param>
    /// <param name="configuration">The settings; null means <see cref="VouchConfiguration.Default"/>.</param>
    /// <param name="loggerFactory">For the DNS lists' self-test log lines; null means none.</param>
    /// <param name="timeProvider">The clock (mode switch, %{t}, deadlines); null means the system clock.</param>
    public SenderChecker(IDnsResolver resolver, PublicSuffixList suffixes, VouchConfiguration? configuration = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        configuration ??= VouchConfiguration.Default;
        this.suffixes = suffixes ?? throw new ArgumentNullException(nameof(suffixes));
        this.timeProvider = timeProvider ?? TimeProvider.System;
        Configuration = configuration;
        Resolver = resolver;
        spf = new SpfChecker(resolver, configuration.Spf with { Deadline = configuration.Checks.Deadline, CollectTrace = configuration.Checks.CollectTrace }, this.timeProvider);
        fcrdns = new FcrdnsCheck(resolver, configuration.Registration);
        registration = new MxRegistrationCheck(resolver, suffixes, configuration.Registration);
        localLists = new LocalLists(configuration.Lists);
        dnsLists = new DnsListChecker(resolver, configuration.Lists, loggerFactory?.CreateLogger<DnsListChecker>(), this.timeProvider);
        rmx = new RmxCheck(resolver, configuration.Rmx);
        ownMxHosts = new OwnMxHostCheck(resolver, configuration.Server.SkipDomains, configuration.Registration);
        policy = configuration.Policy;
    }

    /// <summary>Where every DNS question of the checks goes.</summary>
    public IDnsResolver Resolver { get; }

    /// <summary>The settings in force.</summary>
    public VouchConfiguration Configuration { get; }

    /// <summary>The DNS lists, for their self-tests (<see cref="DnsListChecker.RunSelfTestsAsync"/>).</summary>
    public DnsListChecker DnsLists => dnsLists;

    /// <summary>
    /// Checks a request and decides. The whole check has the deadline <see cref="ChecksOptions.Deadline"/>
    /// (default 20 s): past it, what is not known yet counts as a temporary failure (grey), never a verdict.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<CheckOutcome> CheckAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = new CancellationTokenSource(Configuration.Checks.Deadline, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            // WaitAsync: the deadline holds even where a lookup does not watch the token.
            return await CheckWithinAsync(request, linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeadlinePassed(request);
        }
    }

    /// <summary>The outcome when the deadline passed: every check counts as a temporary failure.</summary>
    private CheckOutcome DeadlinePassed(CheckRequest request)
    {
        var problem = $"the check did not finish within its deadline of {Configuration.Checks.Deadline.TotalSeconds:0.###} s";
        var evidence = new Evidence(request,
            SpfResult.Unfinished(SpfIdentity.MailFrom, request.Sender.IsNull ? request.Helo.Text : request.Sender.Domain, request.Sender.Text, problem),
            SpfResult.Unfinished(SpfIdentity.Helo, request.Helo.Text, request.Sender.Text, problem),
            FcrdnsResult.Unfinished(problem),
            RegistrationResult.Unfinished(problem),
            localLists.FindAllowed(request.Client, []), null, [],
            RmxResult.Unfinished(problem));
        return Decide(evidence);
    }

    private CheckOutcome Decide(Evidence evidence) => new(evidence, PolicyEngine.Decide(evidence, policy, timeProvider.GetUtcNow()), policy);

    private async Task<CheckOutcome> CheckWithinAsync(CheckRequest request, CancellationToken cancellationToken)
    {
        var client = request.Client;
        var sender = request.Sender;
        var helo = request.Helo;
        if (TrustedNetworkOf(client) is { } trusted)
        {
            return Decide(UncheckedEvidence(request, "not checked: the client is in a trusted network") with { TrustedNetwork = trusted.ToString() });
        }

        if (!ownMxHosts.IsEmpty && await ownMxHosts.FindAsync(client, cancellationToken).ConfigureAwait(false) is { } ownHost)
        {
            return Decide(UncheckedEvidence(request, "not checked: the client is one of our own MX hosts") with { OwnMxHost = ownHost });
        }

        // The token carries this check's deadline, so the SPF checks set no timers of their own. For a bounce
        // the MAIL FROM identity is postmaster@ the HELO name (RFC 7208 §2.4): the HELO check, asked once.
        // Macros expand the HELO text as received (RFC 7208 §7.3 %{h}), whatever it is.
        var mailFromSpf = !sender.IsNull
            ? spf.CheckWithinCallersDeadlineAsync(SpfIdentity.MailFrom, client, sender.LocalPart, sender.Domain, helo.Text, cancellationToken)
            : helo.DomainName is not null ? spf.CheckWithinCallersDeadlineAsync(SpfIdentity.MailFrom, client, "", helo.Text, helo.Text, cancellationToken)
            : Task.FromResult(NoHeloIdentity(SpfIdentity.MailFrom, helo));
        var heloSpf = sender.IsNull ? AsHeloResultAsync(mailFromSpf)
            : !Configuration.Checks.CheckHelo ? Task.FromResult(SpfResult.NotAsked(SpfIdentity.Helo, helo.Text, "not checked: [checks] check_helo = false", wasChecked: false))
            : helo.DomainName is not null ? spf.CheckWithinCallersDeadlineAsync(SpfIdentity.Helo, client, "", helo.Text, helo.Text, cancellationToken)
            : Task.FromResult(NoHeloIdentity(SpfIdentity.Helo, helo));
        var registrationEnabled = Configuration.Registration.Enabled;
        var reverse = request.ConfirmedClientName is { } confirmed && DnsName.IsValidMultiLabel(confirmed)
            ? Task.FromResult(FcrdnsResult.ConfirmedByMta(DnsName.Normalize(confirmed)))
            : registrationEnabled ? fcrdns.CheckAsync(client, cancellationToken) : Task.FromResult(FcrdnsResult.NotChecked);
        var registered = registrationEnabled
            ? registration.CheckAsync(client, sender, helo, reverse, cancellationToken)
            : Task.FromResult(RegistrationResult.NotChecked);
        var rmxResult = Configuration.Rmx.Enabled ? rmx.CheckAsync(client, sender, helo, reverse, cancellationToken) : Task.FromResult(RmxResult.TurnedOff);
        var registrationResult = await registered.ConfigureAwait(false);
        var fcrdnsResult = await reverse.ConfigureAwait(false);

        var domains = PresentedDomains(request, registrationResult, fcrdnsResult);
        var listed = dnsLists.CheckAsync(client, domains, cancellationToken);
        var allowed = localLists.FindAllowed(client, domains);
        var blocked = localLists.FindBlocked(client, domains);
        var evidence = new Evidence(request, await mailFromSpf.ConfigureAwait(false), await heloSpf.ConfigureAwait(false),
            fcrdnsResult, registrationResult, allowed, blocked, await listed.ConfigureAwait(false), await rmxResult.ConfigureAwait(false));
        return Decide(evidence);
    }

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

    /// <summary>
    /// SPF none without a query: the HELO is not a multi-label domain name, so there is no HELO identity
    /// (RFC 7208 §2.3), nor a MAIL FROM identity for a bounce (§2.4).
    /// </summary>
    private static SpfResult NoHeloIdentity(SpfIdentity identity, HeloName helo)
    {
        var problem = helo.Kind switch
        {
            HeloNameKind.Missing => "the client gave no HELO name: no identity to check (RFC 7208 §2.3)",
            HeloNameKind.AddressLiteral => $"HELO {helo.Text} is an address literal, not a domain: no identity to check (RFC 7208 §2.3)",
            _ => $"HELO '{helo.Text}' is not a multi-label domain name: no identity to check (RFC 7208 §2.3)",
        };
        return SpfResult.NotAsked(identity, helo.Text, identity == SpfIdentity.MailFrom ? "a bounce, and " + problem : problem);
    }

    private static async Task<SpfResult> AsHeloResultAsync(Task<SpfResult> bounceCheck) =>
        (await bounceCheck.ConfigureAwait(false)).ForIdentity(SpfIdentity.Helo);

    /// <summary>The domains the lists are matched against, in order: owner, MAIL FROM domain, HELO name, confirmed PTR names, and their organisational domains.</summary>
    private List<string> PresentedDomains(CheckRequest request, RegistrationResult registrationResult, FcrdnsResult fcrdnsResult)
    {
        var domains = new List<string>(8);
        void Add(string? name)
        {
            if (name is null || !DnsName.IsValidMultiLabel(name))
            {
                return;
            }

            name = DnsName.Normalize(name);
            foreach (var candidate in new[] { name, suffixes.GetOrganizationalDomain(name) })
            {
                if (DnsName.IsValidMultiLabel(candidate) && !domains.Contains(candidate))
                {
                    domains.Add(candidate);
                }
            }
        }

        Add(registrationResult.Owner);
        Add(request.Sender.DomainName);
        Add(request.Helo.DomainName);
        foreach (var name in fcrdnsResult.ConfirmedNames)
        {
            Add(name);
        }

        return domains;
    }
}
