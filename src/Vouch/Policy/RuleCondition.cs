namespace Vouch.Policy;

/// <summary>What a row of the decision table tests in the evidence. Their names in configuration are the snake_case forms.</summary>
public enum RuleCondition
{
    /// <summary>allow_listed: the client address, or a domain it presents, is on the local allow list.</summary>
    AllowListed,

    /// <summary>block_listed: the client address, the owner, the MAIL FROM domain, the HELO name or a PTR name is on a local block list or a DNS list.</summary>
    BlockListed,

    /// <summary>null_mx_sender: the MAIL FROM domain publishes a Null MX (RFC 7505): it sends no mail.</summary>
    NullMxSender,

    /// <summary>spf_fail: SPF for the MAIL FROM identity is fail.</summary>
    SpfFail,

    /// <summary>rmx_denied: the sender domain's RMX records deny the client (Denied) or do not list it (NotInRMX); weighs like an SPF fail.</summary>
    RmxDenied,

    /// <summary>owner_blocked: reports of spam from the servers this owner vouches for (or through this via) blocked it: nobody accepts its mail.</summary>
    OwnerBlocked,

    /// <summary>client_blocked: no domain vouches for the client, and reports of spam from its address blocked it.</summary>
    ClientBlocked,

    /// <summary>owner_suspect: reports of spam make the vouching owner suspect: its mail is tagged.</summary>
    OwnerSuspect,

    /// <summary>spf_pass: SPF for the MAIL FROM or the HELO identity is pass.</summary>
    SpfPass,

    /// <summary>rmx_granted: the sender domain's RMX records authorise the client.</summary>
    RmxGranted,

    /// <summary>mx_registered: the client is an MX host of a domain it presents (MAIL FROM, HELO or a confirmed PTR name).</summary>
    MxRegistered,

    /// <summary>temporary_failure: a DNS failure kept a check from an answer that could have changed the verdict.</summary>
    TemporaryFailure,

    /// <summary>spf_softfail: SPF for the MAIL FROM identity is softfail.</summary>
    SpfSoftFail,

    /// <summary>spf_neutral: SPF for the MAIL FROM identity is neutral.</summary>
    SpfNeutral,

    /// <summary>spf_none: the MAIL FROM domain publishes no SPF record.</summary>
    SpfNone,

    /// <summary>spf_permerror: the MAIL FROM domain's SPF record is broken.</summary>
    SpfPermError,

    /// <summary>fcrdns_fail: the client has PTR names, but none confirms forward.</summary>
    FcrdnsFail,

    /// <summary>helo_missing: the client gave no HELO/EHLO name, or an empty one.</summary>
    HeloMissing,

    /// <summary>helo_malformed: the HELO name is neither a domain (RFC 5321 §4.1.2) nor an address literal (§4.1.3): spaces, a bare address, underscores, over 255 characters.</summary>
    HeloMalformed,

    /// <summary>helo_literal_mismatch: the HELO is an address literal that is not the client's own address.</summary>
    HeloLiteralMismatch,

    /// <summary>sender_malformed: the MAIL FROM address is not a mailbox (RFC 5321 §4.1.2): no '@', no local part, a domain that is not one, control characters, over-long.</summary>
    SenderMalformed,

    /// <summary>client_unreadable: the MTA's request carries no readable client address, so nothing can be checked (policy service only).</summary>
    ClientUnreadable,

    /// <summary>own_mx_host: the client is an MX host of one of our own domains (<c>[server] skip_domains</c>), a backup MX relaying mail it judged already; nothing else is checked, and this row decides wherever it stands.</summary>
    OwnMxHost,

    /// <summary>trusted_relay: the client is in a trusted network (<c>[server] skip_networks</c>: your relays and your own networks); nothing else is checked, and this row decides wherever it stands.</summary>
    TrustedRelay,

    /// <summary>always: matches every request; the last row's catch-all.</summary>
    Always,
}
