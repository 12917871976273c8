namespace Vouch.Rmx;

/// <summary>The results of an RMX query, as draft-danisch-dns-rr-smtp-03 §8 names them.</summary>
public enum RmxResultCode
{
    /// <summary>An entry authorises the client.</summary>
    Granted,

    /// <summary>A negated entry (or "unused:") matched: the client is explicitly not authorised.</summary>
    Denied,

    /// <summary>RMX records exist, but no entry matched.</summary>
    NotInRmx,

    /// <summary>The domain publishes no RMX records.</summary>
    NoRmx,

    /// <summary>A DNS failure kept the check from an answer.</summary>
    TempFail,

    /// <summary>The records cannot be interpreted: an unknown tag (§7.2.1), bad entry data, or too many DNS-querying entries.</summary>
    BadData,
}
