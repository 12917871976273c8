namespace Vouch.Server.Milter;

/// <summary>
/// Protocol options (mfdef.h, SMFIP_*): No… means "do not send this event", NoReplyTo… means "the milter will not
/// answer this event" (and then it must not).
/// </summary>
[Flags]
public enum MilterProtocolOptions : uint
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>SMFIP_NOCONNECT.</summary>
    NoConnect = 0x1,

    /// <summary>SMFIP_NOHELO.</summary>
    NoHelo = 0x2,

    /// <summary>SMFIP_NOMAIL.</summary>
    NoMail = 0x4,

    /// <summary>SMFIP_NORCPT.</summary>
    NoRecipient = 0x8,

    /// <summary>SMFIP_NOBODY.</summary>
    NoBody = 0x10,

    /// <summary>SMFIP_NOHDRS.</summary>
    NoHeaders = 0x20,

    /// <summary>SMFIP_NOEOH.</summary>
    NoEndOfHeaders = 0x40,

    /// <summary>SMFIP_NR_HDR (SMFIP_NOHREPL).</summary>
    NoReplyToHeader = 0x80,

    /// <summary>SMFIP_NOUNKNOWN.</summary>
    NoUnknown = 0x100,

    /// <summary>SMFIP_NODATA.</summary>
    NoData = 0x200,

    /// <summary>SMFIP_SKIP: the MTA understands SMFIR_SKIP.</summary>
    Skip = 0x400,

    /// <summary>SMFIP_RCPT_REJ: also send rejected recipients.</summary>
    RejectedRecipients = 0x800,

    /// <summary>SMFIP_NR_CONN.</summary>
    NoReplyToConnect = 0x1000,

    /// <summary>SMFIP_NR_HELO.</summary>
    NoReplyToHelo = 0x2000,

    /// <summary>SMFIP_NR_MAIL.</summary>
    NoReplyToMail = 0x4000,

    /// <summary>SMFIP_NR_RCPT.</summary>
    NoReplyToRecipient = 0x8000,

    /// <summary>SMFIP_NR_DATA.</summary>
    NoReplyToData = 0x10000,

    /// <summary>SMFIP_NR_UNKN.</summary>
    NoReplyToUnknown = 0x20000,

    /// <summary>SMFIP_NR_EOH.</summary>
    NoReplyToEndOfHeaders = 0x40000,

    /// <summary>SMFIP_NR_BODY.</summary>
    NoReplyToBody = 0x80000,

    /// <summary>SMFIP_HDR_LEADSPC: header values keep their leading space.</summary>
    HeaderLeadingSpace = 0x100000,
}
