namespace Vouch.Dns.Wire;

/// <summary>
/// What one exchange with a server gave, reduced to what the resolver maps: a reply (its RCODE, answer
/// records and negative-caching TTL), a truncated reply (ask again over TCP), a failure (a malformed
/// reply, a network error) or no reply in time.
/// </summary>
internal sealed class DnsReply
{
    private static readonly DnsReply TruncatedReply = new(0, [], null, null, truncated: true, timedOut: false);
    private static readonly DnsReply NoReplyInTime = new(0, [], null, null, truncated: false, timedOut: true);

    private DnsReply(int responseCode, IReadOnlyList<DnsReplyRecord> answers, TimeSpan? negativeTtl, string? problem, bool truncated, bool timedOut)
    {
        ResponseCode = responseCode;
        Answers = answers;
        NegativeTtl = negativeTtl;
        Problem = problem;
        Truncated = truncated;
        TimedOut = timedOut;
    }

    /// <summary>RCODE 0, no error (RFC 1035 §4.1.1).</summary>
    public const int NoError = 0;

    /// <summary>RCODE 3, name error: the name does not exist (RFC 1035 §4.1.1, NXDOMAIN).</summary>
    public const int NameError = 3;

    /// <summary>The RCODE of the header (RFC 1035 §4.1.1): 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED, ...</summary>
    public int ResponseCode { get; }

    /// <summary>The RCODE in words for a problem text, as DnsClient named them before ("Refused"); RCODEs 11-15 by number.</summary>
    public string ResponseCodeName => ResponseCode switch
    {
        NoError => "NoError",
        1 => "FormatError",
        2 => "ServerFailure",
        NameError => "NotExistentDomain",
        4 => "NotImplemented",
        5 => "Refused",
        6 => "ExistingDomain", // RFC 2136 §2.2: YXDOMAIN, YXRRSET, NXRRSET, NOTAUTH, NOTZONE
        7 => "ExistingResourceRecordSet",
        8 => "MissingResourceRecordSet",
        9 => "NotAuthorized",
        10 => "NotZone",
        _ => $"RCODE {ResponseCode}",
    };

    /// <summary>The answer section's records, in order.</summary>
    public IReadOnlyList<DnsReplyRecord> Answers { get; }

    /// <summary>RFC 2308 §5: the lesser of the TTL and the MINIMUM of the first SOA in the authority section; null without one.</summary>
    public TimeSpan? NegativeTtl { get; }

    /// <summary>For a failure (malformed reply, network error), what went wrong; otherwise null.</summary>
    public string? Problem { get; }

    /// <summary>True when the server set TC: the answer did not fit, ask over TCP (RFC 1035 §4.2.1).</summary>
    public bool Truncated { get; }

    /// <summary>True when no reply came in time.</summary>
    public bool TimedOut { get; }

    /// <summary>A reply with TC set.</summary>
    public static DnsReply Truncation => TruncatedReply;

    /// <summary>No reply in time.</summary>
    public static DnsReply NoReply => NoReplyInTime;

    /// <summary>A reply that was read.</summary>
    public static DnsReply Answer(int responseCode, IReadOnlyList<DnsReplyRecord> answers, TimeSpan? negativeTtl) =>
        new(responseCode, answers, negativeTtl, null, truncated: false, timedOut: false);

    /// <summary>A malformed reply or a network error.</summary>
    public static DnsReply Failure(string problem) => new(0, [], null, problem, truncated: false, timedOut: false);
}
