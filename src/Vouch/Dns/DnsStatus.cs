namespace Vouch.Dns;

/// <summary>The outcome of one DNS question, as the checks need to tell them apart.</summary>
public enum DnsStatus
{
    /// <summary>NOERROR with at least one record of the asked type.</summary>
    Records,

    /// <summary>NOERROR with an empty answer (NODATA): the name exists, without records of that type.</summary>
    NoData,

    /// <summary>NXDOMAIN (RCODE 3): the name does not exist.</summary>
    NoSuchDomain,

    /// <summary>SERVFAIL, REFUSED, a malformed reply or any other server-side failure: try again later.</summary>
    ServerFailure,

    /// <summary>No answer arrived in time: try again later.</summary>
    Timeout,
}
