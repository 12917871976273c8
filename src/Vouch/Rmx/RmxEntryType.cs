namespace Vouch.Rmx;

/// <summary>The RMX entry types Vouch knows, with the decimal codes draft §7.2 gives them (in the order of §5.2–§5.7).</summary>
public enum RmxEntryType
{
    /// <summary>"ipv4:" (code 1), §5.3: an IPv4 address or network.</summary>
    IPv4 = 1,

    /// <summary>"ipv6:" (code 2), §5.3: an IPv6 address or network.</summary>
    IPv6 = 2,

    /// <summary>"host:" (code 3), §5.4: a host whose addresses are authorised.</summary>
    Host = 3,

    /// <summary>"apl:" (code 4), §5.5: a name whose APL record (RFC 3123) lists the authorised networks.</summary>
    Apl = 4,

    /// <summary>"domain:" (code 5), §5.6: hosts whose forward-confirmed PTR name lies in the domain.</summary>
    Domain = 5,

    /// <summary>"unused:" (code 6), §5.2: the address is never used as a sender.</summary>
    Unused = 6,

    /// <summary>"full:" (code 7), §5.7: query the full address instead; the draft leaves the mapping undefined, so Vouch does not support it.</summary>
    Full = 7,

    /// <summary>"mx:" (no code), §5.9 "RMX reference": every host the domain's MX records name is authorised. The draft gives no tag; Vouch reads "mx:".</summary>
    Mx = 100,
}
