using Vouch.Dns;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Reputation;
using Vouch.Rmx;
using Vouch.Smtp;
using Vouch.Spf;

namespace Vouch.Checks;

/// <summary>
/// The evidence of one request, gathered piece by piece: each piece's check starts at most once, when it is first
/// asked for, and pieces asked for together run together. <see cref="Evidence"/> shows what is known so far, with
/// placeholders for the pieces not gathered. One instance per request: its owner calls <see cref="Start"/> and
/// <see cref="GatherAsync"/> one at a time, while the registration and RMX checks may start reverse DNS from theirs.
/// </summary>
internal sealed class EvidenceGatherer
{
    /// <summary>The problem text of a placeholder.</summary>
    public const string NotNeeded = Evidence.NotAskedReason;

    // Completed once: what a turned-off check or an empty list gives, and the placeholders of pieces not asked.
    private static readonly Task<RegistrationResult> RegistrationOff = Task.FromResult(RegistrationResult.NotChecked);
    private static readonly Task<FcrdnsResult> FcrdnsOff = Task.FromResult(FcrdnsResult.NotChecked);
    private static readonly Task<RmxResult> RmxOff = Task.FromResult(RmxResult.TurnedOff);
    private static readonly Task<bool> NoNullMx = Task.FromResult(false);
    private static readonly ListFindings Nothing = new(null, null, []);
    private static readonly Task<ListFindings> NothingListed = Task.FromResult(Nothing);
    private static readonly FcrdnsResult FcrdnsNotNeeded = FcrdnsResult.NotNeeded(NotNeeded);
    private static readonly RegistrationResult RegistrationNotNeeded = RegistrationResult.NotNeeded(false, NotNeeded);
    private static readonly RegistrationResult RegistrationNotNeededButNullMx = RegistrationResult.NotNeeded(true, NotNeeded);
    private static readonly RmxResult RmxNotNeeded = RmxResult.NotNeeded(NotNeeded);

    private readonly EvidenceSources sources;
    private readonly CheckRequest request;
    private readonly CancellationToken cancellationToken;
    private Task<SpfResult>? mailFromSpf;
    private Task<SpfResult>? heloSpf;
    private Task<FcrdnsResult>? fcrdns;
    private Task<RegistrationResult>? registration;
    private Task<bool>? senderNullMx;
    private Task<RmxResult>? rmx;
    private Task<ListFindings>? lists;
    private readonly Lock gate = new();
    private Func<Task<FcrdnsResult>>? startFcrdns;
    private SpfResult? mailFromSpfNotNeeded;
    private SpfResult? heloSpfNotNeeded;
    private SpfResult? mailFromSpfResult;
    private SpfResult? heloSpfResult;
    private FcrdnsResult? fcrdnsResult;
    private RegistrationResult? registrationResult;
    private bool senderNullMxResult;
    private RmxResult? rmxResult;
    private ListFindings? listFindings;
    private Evidence? evidence;
    private EvidencePieces started;

    public EvidenceGatherer(EvidenceSources sources, CheckRequest request, CancellationToken cancellationToken)
    {
        this.sources = sources;
        this.request = request;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>
    /// The pieces that cost no DNS question for this request, so that a report shows them whatever decides: an SPF
    /// identity that cannot be checked or is not checked, a bounce's HELO result (its MAIL FROM check), reverse DNS
    /// the MTA confirmed, a check that is turned off, lists that match nothing asked of DNS.
    /// </summary>
    public EvidencePieces Free
    {
        get
        {
            var configuration = sources.Configuration;
            var free = EvidencePieces.None;
            var helo = request.Helo;
            var sender = request.Sender;
            if (sender.IsNull ? helo.DomainName is null : helo.DomainName is null || !configuration.Checks.CheckHelo)
            {
                free |= sender.IsNull ? EvidencePieces.MailFromSpf | EvidencePieces.HeloSpf : EvidencePieces.HeloSpf;
            }

            if (!configuration.Registration.Enabled)
            {
                free |= EvidencePieces.Registration | EvidencePieces.SenderNullMx | EvidencePieces.Fcrdns;
            }
            else if (request.ConfirmedClientName is { } confirmed && DnsName.IsValidMultiLabel(confirmed))
            {
                free |= EvidencePieces.Fcrdns;
            }

            if (!configuration.Rmx.Enabled)
            {
                free |= EvidencePieces.Rmx;
            }

            if (sources.ListsAskNothing)
            {
                free |= EvidencePieces.Lists;
            }

            return free;
        }
    }

    /// <summary>The pieces whose checks have started.</summary>
    public EvidencePieces Started
    {
        get
        {
            lock (gate)
            {
                return started;
            }
        }
    }

    /// <summary>The pieces whose checks have finished and been read into <see cref="Evidence"/>.</summary>
    public EvidencePieces Gathered { get; private set; }

    /// <summary>The evidence so far: gathered pieces as found, the others as placeholders listed in <see cref="Evidence.Skipped"/>.</summary>
    public Evidence Evidence => evidence ??= Snapshot();

    /// <summary>Starts the checks of <paramref name="pieces"/> that have not started; returns at once.</summary>
    public void Start(EvidencePieces pieces)
    {
        lock (gate)
        {
            pieces &= ~started;
            started |= pieces;
        }

        if (pieces == EvidencePieces.None)
        {
            return;
        }

        // A bounce's HELO check is its MAIL FROM check (RFC 7208 §2.4): the two start together.
        if ((pieces & (EvidencePieces.MailFromSpf | EvidencePieces.HeloSpf)) != 0 && request.Sender.IsNull)
        {
            lock (gate)
            {
                pieces |= ~started & (EvidencePieces.MailFromSpf | EvidencePieces.HeloSpf);
                started |= EvidencePieces.MailFromSpf | EvidencePieces.HeloSpf;
            }
        }

        // Registration and RMX ask for reverse DNS themselves, and only when they reach a use for it.
        if ((pieces & EvidencePieces.MailFromSpf) != 0)
        {
            mailFromSpf = StartMailFromSpf();
        }

        if ((pieces & EvidencePieces.HeloSpf) != 0)
        {
            heloSpf = StartHeloSpf();
        }

        if ((pieces & EvidencePieces.Fcrdns) != 0)
        {
            _ = Fcrdns();
        }

        if ((pieces & EvidencePieces.Registration) != 0)
        {
            registration = sources.Configuration.Registration.Enabled
                ? sources.Registration.CheckAsync(request.Client, request.Sender, request.Helo, startFcrdns ??= Fcrdns, cancellationToken)
                : RegistrationOff;
        }

        if ((pieces & EvidencePieces.SenderNullMx) != 0)
        {
            // RegistrationResult.NotChecked says false when registration is off; so does this.
            senderNullMx = sources.Configuration.Registration.Enabled
                ? sources.Registration.SenderHasNullMxAsync(request.Sender, cancellationToken)
                : NoNullMx;
        }

        if ((pieces & EvidencePieces.Rmx) != 0)
        {
            rmx = sources.Configuration.Rmx.Enabled
                ? sources.Rmx.CheckAsync(request.Client, request.Sender, request.Helo, startFcrdns ??= Fcrdns, cancellationToken)
                : RmxOff;
        }

        if ((pieces & EvidencePieces.Lists) != 0)
        {
            lists = !sources.ListsAskNothing ? FindListingsAsync()
                : sources.ListsAreEmpty ? NothingListed
                : Task.FromResult(new ListFindings(sources.LocalLists.FindAllowed(request.Client, []), sources.LocalLists.FindBlocked(request.Client, []), []));
        }
    }

    /// <summary>
    /// Starts what is not started of <paramref name="pieces"/> and waits for all of them; pieces started before that
    /// have finished meanwhile are read too, so that the evidence is rebuilt once rather than once for each.
    /// </summary>
    public async Task GatherAsync(EvidencePieces pieces)
    {
        Start(pieces);
        pieces = (pieces | Finished()) & ~Gathered;
        if (pieces == EvidencePieces.None)
        {
            return;
        }

        // Each awaited in turn: they run together already, so the total wait is the slowest one's.
        if ((pieces & EvidencePieces.MailFromSpf) != 0)
        {
            mailFromSpfResult = await mailFromSpf!.ConfigureAwait(false);
        }

        if ((pieces & EvidencePieces.HeloSpf) != 0)
        {
            heloSpfResult = await heloSpf!.ConfigureAwait(false);
        }

        if ((pieces & EvidencePieces.Fcrdns) != 0)
        {
            fcrdnsResult = await Fcrdns().ConfigureAwait(false);
        }

        if ((pieces & EvidencePieces.Registration) != 0)
        {
            registrationResult = await registration!.ConfigureAwait(false);
            pieces |= EvidencePieces.SenderNullMx;
        }
        else if ((pieces & EvidencePieces.SenderNullMx) != 0)
        {
            senderNullMxResult = await senderNullMx!.ConfigureAwait(false);
        }

        if ((pieces & EvidencePieces.Rmx) != 0)
        {
            rmxResult = await rmx!.ConfigureAwait(false);
        }

        if ((pieces & EvidencePieces.Lists) != 0)
        {
            listFindings = await lists!.ConfigureAwait(false);
        }

        Gathered |= pieces;
        evidence = null;
    }

    /// <summary>The started pieces whose checks have finished.</summary>
    private EvidencePieces Finished()
    {
        var finished = EvidencePieces.None;
        finished |= mailFromSpf is { IsCompleted: true } ? EvidencePieces.MailFromSpf : EvidencePieces.None;
        finished |= heloSpf is { IsCompleted: true } ? EvidencePieces.HeloSpf : EvidencePieces.None;
        finished |= Volatile.Read(ref fcrdns) is { IsCompleted: true } ? EvidencePieces.Fcrdns : EvidencePieces.None;
        finished |= registration is { IsCompleted: true } ? EvidencePieces.Registration : EvidencePieces.None;
        finished |= senderNullMx is { IsCompleted: true } ? EvidencePieces.SenderNullMx : EvidencePieces.None;
        finished |= rmx is { IsCompleted: true } ? EvidencePieces.Rmx : EvidencePieces.None;
        finished |= lists is { IsCompleted: true } ? EvidencePieces.Lists : EvidencePieces.None;
        return finished;
    }

    private Task<SpfResult> StartMailFromSpf()
    {
        // The token carries this check's deadline, so the SPF checks set no timers of their own. For a bounce
        // the MAIL FROM identity is postmaster@ the HELO name (RFC 7208 §2.4), and the HELO check is this one.
        // Macros expand the HELO text as received (RFC 7208 §7.3 %{h}), whatever it is.
        var sender = request.Sender;
        var helo = request.Helo;
        return !sender.IsNull
            ? sources.Spf.CheckWithinCallersDeadlineAsync(SpfIdentity.MailFrom, request.Client, sender.LocalPart, sender.Domain, helo.Text, cancellationToken)
            : helo.DomainName is not null ? sources.Spf.CheckWithinCallersDeadlineAsync(SpfIdentity.MailFrom, request.Client, "", helo.Text, helo.Text, cancellationToken)
            : Task.FromResult(NoHeloIdentity(SpfIdentity.MailFrom, helo));
    }

    private Task<SpfResult> StartHeloSpf()
    {
        var helo = request.Helo;
        return request.Sender.IsNull ? AsHeloResultAsync(mailFromSpf!)
            : !sources.Configuration.Checks.CheckHelo ? Task.FromResult(SpfResult.NotAsked(SpfIdentity.Helo, helo.Text, "not checked: [checks] check_helo = false", wasChecked: false))
            : helo.DomainName is not null ? sources.Spf.CheckWithinCallersDeadlineAsync(SpfIdentity.Helo, request.Client, "", helo.Text, helo.Text, cancellationToken)
            : Task.FromResult(NoHeloIdentity(SpfIdentity.Helo, helo));
    }

    /// <summary>The FCrDNS check, started on first use (by this gatherer, registration or RMX, from any thread).</summary>
    private Task<FcrdnsResult> Fcrdns()
    {
        lock (gate)
        {
            if (fcrdns is null)
            {
                started |= EvidencePieces.Fcrdns;
                fcrdns = request.ConfirmedClientName is { } confirmed && DnsName.IsValidMultiLabel(confirmed)
                    ? Task.FromResult(FcrdnsResult.ConfirmedByMta(DnsName.Normalize(confirmed)))
                    : sources.Configuration.Registration.Enabled ? sources.Fcrdns.CheckAsync(request.Client, cancellationToken)
                    : FcrdnsOff;
            }

            return fcrdns;
        }
    }

    private async Task<ListFindings> FindListingsAsync()
    {
        IReadOnlyList<string> domains = [];
        if (sources.ListsReadDomains)
        {
            Start(EvidencePieces.Registration);
            var registrationResult = await registration!.ConfigureAwait(false);
            domains = PresentedDomains(registrationResult, await Fcrdns().ConfigureAwait(false));
        }

        var listed = await sources.DnsLists.CheckAsync(request.Client, domains, cancellationToken).ConfigureAwait(false);
        return new ListFindings(sources.LocalLists.FindAllowed(request.Client, domains), sources.LocalLists.FindBlocked(request.Client, domains), listed);
    }

    /// <summary>The domains the lists are matched against, in order: owner, MAIL FROM domain, HELO name, confirmed PTR names, and their organisational domains.</summary>
    private List<string> PresentedDomains(RegistrationResult registrationResult, FcrdnsResult fcrdnsResult)
    {
        var domains = new List<string>(8);
        void Add(string? name)
        {
            if (name is null || !DnsName.IsValidMultiLabel(name))
            {
                return;
            }

            name = DnsName.Normalize(name);
            foreach (var candidate in new[] { name, sources.Suffixes.GetOrganizationalDomain(name) })
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

    private Evidence Snapshot()
    {
        var gathered = Gathered;
        bool Has(EvidencePieces piece) => (gathered & piece) != 0;
        var sender = request.Sender;
        var helo = request.Helo;
        var listings = listFindings ?? Nothing;
        var mailFrom = mailFromSpfResult ?? (mailFromSpfNotNeeded ??= SpfResult.NotNeeded(SpfIdentity.MailFrom, sender.IsNull ? helo.Text : sender.Domain, sender.IsNull ? "postmaster@" + helo.Text : sender.Text, NotNeeded));
        var heloResult = heloSpfResult ?? (heloSpfNotNeeded ??= SpfResult.NotNeeded(SpfIdentity.Helo, helo.Text, "postmaster@" + helo.Text, NotNeeded));
        var registered = registrationResult ?? (Has(EvidencePieces.SenderNullMx) && senderNullMxResult ? RegistrationNotNeededButNullMx : RegistrationNotNeeded);
        var rmxFound = rmxResult ?? RmxNotNeeded;
        return new Evidence(request, mailFrom, heloResult, fcrdnsResult ?? FcrdnsNotNeeded, registered, listings.Allowed, listings.LocalBlocked, listings.DnsLists, rmxFound)
        {
            Skipped = EvidencePieces.All & ~gathered,
            Reputation = sources.Reputation?.Find(request, mailFrom, heloResult, registered, rmxFound) ?? ReputationFinding.Off,
        };
    }

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
}
