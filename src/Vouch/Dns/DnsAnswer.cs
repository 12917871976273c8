namespace Vouch.Dns;

/// <summary>
/// The answer to one DNS question: its <see cref="Status"/>, the records (empty unless the status is
/// <see cref="DnsStatus.Records"/>) and how long the answer may be kept.
/// </summary>
/// <typeparam name="T">The record data type: <see cref="TxtRecord"/>, <see cref="System.Net.IPAddress"/>, <see cref="MxRecord"/> or a host name string.</typeparam>
public sealed class DnsAnswer<T>
{
    private DnsAnswer(DnsStatus status, IReadOnlyList<T> records, TimeSpan timeToLive, string? problem)
    {
        Status = status;
        Records = records;
        TimeToLive = timeToLive;
        Problem = problem;
    }

    /// <summary>What kind of answer this is.</summary>
    public DnsStatus Status { get; }

    /// <summary>The records of the asked type, in the order the server gave them; empty unless <see cref="Status"/> is <see cref="DnsStatus.Records"/>.</summary>
    public IReadOnlyList<T> Records { get; }

    /// <summary>How long the answer may be cached: the smallest record TTL, or the negative-caching TTL (RFC 2308) for an empty answer.</summary>
    public TimeSpan TimeToLive { get; }

    /// <summary>For a failure, a short description of what went wrong (e.g. "SERVFAIL from 127.0.0.1:53"); otherwise null.</summary>
    public string? Problem { get; }

    /// <summary>An answer with records. An empty list makes a <see cref="DnsStatus.NoData"/> answer.</summary>
    public static DnsAnswer<T> FromRecords(IReadOnlyList<T> records, TimeSpan timeToLive) =>
        new(records.Count == 0 ? DnsStatus.NoData : DnsStatus.Records, records, timeToLive, null);

    /// <summary>An answer without records: <paramref name="status"/> must not be <see cref="DnsStatus.Records"/>.</summary>
    /// <exception cref="ArgumentException">The status is <see cref="DnsStatus.Records"/>.</exception>
    public static DnsAnswer<T> Empty(DnsStatus status, TimeSpan timeToLive, string? problem = null)
    {
        if (status == DnsStatus.Records)
        {
            throw new ArgumentException("An answer with status Records needs records.", nameof(status));
        }

        return new(status, Array.Empty<T>(), timeToLive, problem);
    }
}
