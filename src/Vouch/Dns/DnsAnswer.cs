namespace Vouch.Dns;

/// <summary>
/// The answer to one DNS question: its <see cref="Status"/>, the records (empty unless the status is
/// <see cref="DnsStatus.Records"/>), how long the answer may be kept and, when the asked name is an alias, the name
/// that owns the records.
/// </summary>
/// <typeparam name="T">The record data type: <see cref="TxtRecord"/>, <see cref="System.Net.IPAddress"/>, <see cref="MxRecord"/> or a host name string.</typeparam>
public sealed class DnsAnswer<T>
{
    private DnsAnswer(DnsStatus status, IReadOnlyList<T> records, TimeSpan timeToLive, string? problem, string? canonicalName)
    {
        Status = status;
        Records = records;
        TimeToLive = timeToLive;
        Problem = problem;
        CanonicalName = canonicalName;
    }

    /// <summary>What kind of answer this is.</summary>
    public DnsStatus Status { get; }

    /// <summary>The records of the asked type, in the order the server gave them; empty unless <see cref="Status"/> is <see cref="DnsStatus.Records"/>.</summary>
    public IReadOnlyList<T> Records { get; }

    /// <summary>How long the answer may be cached: the smallest record TTL, or the negative-caching TTL (RFC 2308) for an empty answer.</summary>
    public TimeSpan TimeToLive { get; }

    /// <summary>For a failure, a short description of what went wrong (e.g. "SERVFAIL from 127.0.0.1:53"); otherwise null.</summary>
    public string? Problem { get; }

    /// <summary>
    /// When a CNAME chain led from the asked name to the records, the name at its end that owns them (RFC 1034 §3.6.2:
    /// the canonical name), lower case without the trailing dot; null when the asked name owned them itself, and for
    /// answers made by <see cref="Empty"/>. An MX host must not be an alias (RFC 2181 §10.3), which this tells.
    /// </summary>
    public string? CanonicalName { get; }

    /// <summary>An answer with records. An empty list makes a <see cref="DnsStatus.NoData"/> answer.</summary>
    /// <param name="records">The records, in the order the server gave them.</param>
    /// <param name="timeToLive">How long the answer may be kept: the smallest TTL of the records and of any CNAME that led to them.</param>
    /// <param name="canonicalName">The name that owns the records when a CNAME chain led there (normalized as <see cref="DnsName.Normalize"/> does); null (the default) when the asked name owns them.</param>
    public static DnsAnswer<T> FromRecords(IReadOnlyList<T> records, TimeSpan timeToLive, string? canonicalName = null) =>
        new(records.Count == 0 ? DnsStatus.NoData : DnsStatus.Records, records, timeToLive, null, canonicalName is null ? null : DnsName.Normalize(canonicalName));

    /// <summary>An answer without records: <paramref name="status"/> must not be <see cref="DnsStatus.Records"/>.</summary>
    /// <exception cref="ArgumentException">The status is <see cref="DnsStatus.Records"/>.</exception>
    public static DnsAnswer<T> Empty(DnsStatus status, TimeSpan timeToLive, string? problem = null)
    {
        if (status == DnsStatus.Records)
        {
            throw new ArgumentException("An answer with status Records needs records.", nameof(status));
        }

        return new(status, Array.Empty<T>(), timeToLive, problem, null);
    }
}
