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

    /// <summary>False for the HELO result when the HELO identity was not checked (<see cref="SpfOptions.CheckHelo"/> off): code none, nothing asked.</summary>
    public bool WasChecked { get; init; } = true;

    /// <summary>The same result reported for another identity (a bounce's MAIL FROM check is its HELO check, RFC 7208 §2.4).</summary>
    internal SpfResult ForIdentity(SpfIdentity other) =>
        new(Code, other, Domain, Sender, Mechanism, Explanation, ExplanationIsDefault, DnsLookups, VoidLookups, Problem, Trace) { WasChecked = WasChecked };

    /// <inheritdoc />
    public override string ToString() => $"{Code.ToToken()} ({Domain}{(Mechanism is null ? "" : ", " + Mechanism)})";
}
