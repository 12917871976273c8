namespace Vouch.Spf;

/// <summary>The outcome of one SPF check, with the reasons behind it.</summary>
public sealed class SpfResult
{
    /// <summary>Creates a result; see the properties for the meaning of each argument.</summary>
    public SpfResult(
        SpfResultCode code,
        SpfIdentity identity,
        string domain,
        string sender,
        string? mechanism,
        string? explanation,
        bool explanationIsDefault,
        int dnsLookups,
        int voidLookups,
        string? problem,
        IReadOnlyList<SpfTraceEvent> trace)
    {
        Code = code;
        Identity = identity;
        Domain = domain;
        Sender = sender;
        Mechanism = mechanism;
        Explanation = explanation;
        ExplanationIsDefault = explanationIsDefault;
        DnsLookups = dnsLookups;
        VoidLookups = voidLookups;
        Problem = problem;
        Trace = trace;
    }

    /// <summary>The result.</summary>
    public SpfResultCode Code { get; }

    /// <summary>Which identity was checked.</summary>
    public SpfIdentity Identity { get; }

    /// <summary>The domain checked: the MAIL FROM domain, or the HELO name.</summary>
    public string Domain { get; }

    /// <summary>The sender the check used (local-part@domain; "postmaster@helo" for the HELO identity and bounces).</summary>
    public string Sender { get; }

    /// <summary>The directive that decided (e.g. "-all", "include:_spf.example.com"), or null when none matched.</summary>
    public string? Mechanism { get; }

    /// <summary>For a fail, the explanation (from the domain's exp= or the default); otherwise null.</summary>
    public string? Explanation { get; }

    /// <summary>True when <see cref="Explanation"/> is Vouch's default, not one the domain published.</summary>
    public bool ExplanationIsDefault { get; }

    /// <summary>DNS-querying terms evaluated, toward the limit of 10.</summary>
    public int DnsLookups { get; }

    /// <summary>Void lookups (NXDOMAIN or no data), toward the limit of 2.</summary>
    public int VoidLookups { get; }

    /// <summary>For permerror, temperror and none: what went wrong or was missing; otherwise null.</summary>
    public string? Problem { get; }

    /// <summary>The ordered trace; empty when tracing is off.</summary>
    public IReadOnlyList<SpfTraceEvent> Trace { get; }

    /// <summary>False for the HELO result when the HELO identity was not checked ([checks] check_helo off): code none, nothing asked.</summary>
    public bool WasChecked { get; init; } = true;

    /// <summary>
    /// For pass, the innermost term that matched the client ("ip4:192.0.2.0/24", "+all"), which may sit in an
    /// included or redirected record; null otherwise. Reputation reads it to tell the owner's own terms from another organisation's.
    /// </summary>
    public string? AuthorizingTerm { get; init; }

    /// <summary>For pass, the domain whose record holds <see cref="AuthorizingTerm"/>; null otherwise.</summary>
    public string? AuthorizingDomain { get; init; }

    /// <summary>A temporary error without a query's trace: the check did not finish (its deadline passed, or what it needed failed).</summary>
    /// <param name="identity">The identity that was being checked.</param>
    /// <param name="domain">Its domain.</param>
    /// <param name="sender">The sender the check would have used.</param>
    /// <param name="problem">Why it did not finish.</param>
    public static SpfResult Unfinished(SpfIdentity identity, string domain, string sender, string problem) =>
        new(SpfResultCode.TempError, identity, domain, sender, null, null, false, 0, 0, problem, []);

    /// <summary>
    /// SPF none without a query: there is no identity to check, or it was not asked for. The sender is
    /// postmaster@<paramref name="domain"/> (RFC 7208 §2.3, §2.4).
    /// </summary>
    /// <param name="identity">The identity.</param>
    /// <param name="domain">The HELO text standing for the domain.</param>
    /// <param name="problem">Why nothing was asked.</param>
    /// <param name="wasChecked">False when checking was turned off rather than impossible (<see cref="WasChecked"/>).</param>
    public static SpfResult NotAsked(SpfIdentity identity, string domain, string problem, bool wasChecked = true) =>
        new(SpfResultCode.None, identity, domain, "postmaster@" + domain, null, null, false, 0, 0, problem, []) { WasChecked = wasChecked };

    /// <summary>A placeholder for a check that was not asked because the decision did not need it: none, not checked, nothing asked.</summary>
    /// <param name="identity">The identity.</param>
    /// <param name="domain">The domain the check would have used.</param>
    /// <param name="sender">The sender the check would have used.</param>
    /// <param name="problem">Why it was not asked.</param>
    public static SpfResult NotNeeded(SpfIdentity identity, string domain, string sender, string problem) =>
        new(SpfResultCode.None, identity, domain, sender, null, null, false, 0, 0, problem, []) { WasChecked = false };

    /// <summary>The same result reported for another identity (a bounce's MAIL FROM check is its HELO check, RFC 7208 §2.4).</summary>
    internal SpfResult ForIdentity(SpfIdentity other) =>
        new(Code, other, Domain, Sender, Mechanism, Explanation, ExplanationIsDefault, DnsLookups, VoidLookups, Problem, Trace) { WasChecked = WasChecked, AuthorizingTerm = AuthorizingTerm, AuthorizingDomain = AuthorizingDomain };

    /// <inheritdoc />
    public override string ToString() => $"{Code.ToToken()} ({Domain}{(Mechanism is null ? "" : ", " + Mechanism)})";
}
