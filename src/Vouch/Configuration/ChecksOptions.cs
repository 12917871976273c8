namespace Vouch.Configuration;

/// <summary>
/// Settings of the whole check of a request (the [checks] table): what runs, and how long all of it may take.
/// The SPF engine gets the deadline and the trace setting from here (<see cref="Vouch.Spf.SpfOptions"/>).
/// </summary>
public sealed record ChecksOptions
{
    /// <summary>The default settings.</summary>
    public static ChecksOptions Default { get; } = new();

    /// <summary>
    /// The most time one check of a request may take, every lookup of every check included; past it what is not
    /// known yet counts as a temporary failure (grey). Default 20 seconds (RFC 7208 §4.6.4 asks for at least 20 s).
    /// </summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Whether the HELO identity is checked with SPF besides MAIL FROM (setting check_helo). Default true, as
    /// RFC 7208 §2.3 recommends. Off, only a bounce's HELO name is checked (it is then the MAIL FROM identity).
    /// </summary>
    public bool CheckHelo { get; init; } = true;

    /// <summary>
    /// How much evidence a check gathers (setting gather): every piece, or only what the decision table's rows
    /// need, tried in order, until one decides. Default <see cref="EvidenceGathering.Auto"/>: all in monitor mode,
    /// decisive in enforce mode.
    /// </summary>
    public EvidenceGathering Gather { get; init; } = EvidenceGathering.Auto;

    /// <summary>
    /// Whether results carry the ordered trace of queries and terms (SPF's trace, RMX's steps). Default true; turning it off saves
    /// allocations. Not a file setting: each command sets it (<c>vouch explain</c> on, the others off).
    /// </summary>
    public bool CollectTrace { get; init; } = true;

    /// <summary>
    /// The headers the front end writes on every accepted or tagged message, whose evidence is gathered whatever
    /// decides. Not a file setting: null (the default) means <c>[server] header</c>; <c>vouch milter</c> sets its own.
    /// </summary>
    public IReadOnlyList<TagHeader>? WrittenHeaders { get; init; }
}
