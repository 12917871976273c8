namespace Vouch.Spf;

/// <summary>
/// Settings of the SPF engine. The limits default to RFC 7208's values; raising them lets a published
/// record make Vouch (and the DNS) do more work per message, which is what the limits exist to stop.
/// </summary>
public sealed record SpfOptions
{
    /// <summary>The default settings.</summary>
    public static SpfOptions Default { get; } = new();

    /// <summary>Terms that query DNS (include, a, mx, ptr, exists, redirect) allowed per check; more is permerror. Default 10 (RFC 7208 §4.6.4).</summary>
    public int MaxDnsLookups { get; init; } = 10;

    /// <summary>Lookups answering NXDOMAIN or no data allowed per check; more is permerror. Default 2 (RFC 7208 §4.6.4).</summary>
    public int MaxVoidLookups { get; init; } = 2;

    /// <summary>MX hosts an "mx" mechanism may look up; more MX records is permerror. Default 10 (RFC 7208 §4.6.4).</summary>
    public int MaxMxHosts { get; init; } = 10;

    /// <summary>
    /// Count each MX host's address lookup of an <c>mx</c> term toward <see cref="MaxDnsLookups"/>, as some
    /// receivers read RFC 7208 §4.6.4 ("the strict profile" of <c>vouch audit</c>). False (the default, and
    /// the reading of pyspf, Mail::SPF and the RFC's errata discussion): only the term counts.
    /// </summary>
    public bool CountMxAddressLookups { get; init; }

    /// <summary>PTR names a "ptr" mechanism or %{p} looks at; the rest are ignored. Default 10 (RFC 7208 §4.6.4).</summary>
    public int MaxPtrNames { get; init; } = 10;

    /// <summary>
    /// The most time one check may take, all lookups included; past it the check ends with temperror.
    /// Default 20 seconds (RFC 7208 §4.6.4 asks for at least 20 s, as SMTP timeouts allow). Within a whole
    /// check of a request it is that check's deadline (the configuration's [checks] deadline_seconds).
    /// </summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The %{r} value in explanations: the receiving host's domain. Default "unknown" (RFC 7208 §7.3).</summary>
    public string ReceivingHost { get; init; } = "unknown";

    /// <summary>The explanation for a fail when the domain gives none (explain-string syntax, RFC 7208 §6.2).</summary>
    public string DefaultExplanation { get; init; } = "%{d} does not designate %{c} as a permitted sender";

    /// <summary>Whether results carry the ordered trace of queries and terms. Default true; turning it off saves allocations. Within a whole check of a request, that check's setting.</summary>
    public bool CollectTrace { get; init; } = true;

    /// <summary>How many distinct parsed records the engine keeps for reuse. Default 10,000.</summary>
    public int ParsedRecordCacheSize { get; init; } = 10_000;
}
