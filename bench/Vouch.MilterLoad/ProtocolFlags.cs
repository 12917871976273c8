namespace Vouch.MilterLoad;

/// <summary>The milter protocol options (libmilter's mfdef.h, SMFIP_*) this client reads in the server's negotiation reply.</summary>
[Flags]
internal enum ProtocolFlags : uint
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>SMFIP_NOCONNECT: do not send the connect event.</summary>
    NoConnect = 0x1,

    /// <summary>SMFIP_NOHELO: do not send HELO.</summary>
    NoHelo = 0x2,

    /// <summary>SMFIP_NOMAIL: do not send MAIL.</summary>
    NoMail = 0x4,

    /// <summary>SMFIP_NORCPT: do not send RCPT.</summary>
    NoRecipient = 0x8,

    /// <summary>SMFIP_NOBODY: do not send the body.</summary>
    NoBody = 0x10,

    /// <summary>SMFIP_NOHDRS: do not send headers.</summary>
    NoHeaders = 0x20,

    /// <summary>SMFIP_NOEOH: do not send the end of the header.</summary>
    NoEndOfHeaders = 0x40,

    /// <summary>SMFIP_NR_HDR: headers are not answered.</summary>
    NoReplyToHeader = 0x80,

    /// <summary>SMFIP_NODATA: do not send DATA.</summary>
    NoData = 0x200,

    /// <summary>SMFIP_NR_CONN: the connect event is not answered.</summary>
    NoReplyToConnect = 0x1000,

    /// <summary>SMFIP_NR_HELO: HELO is not answered.</summary>
    NoReplyToHelo = 0x2000,

    /// <summary>SMFIP_NR_MAIL: MAIL is not answered.</summary>
    NoReplyToMail = 0x4000,

    /// <summary>SMFIP_NR_RCPT: RCPT is not answered.</summary>
    NoReplyToRecipient = 0x8000,

    /// <summary>SMFIP_NR_DATA: DATA is not answered.</summary>
    NoReplyToData = 0x10000,

    /// <summary>SMFIP_NR_EOH: the end of the header is not answered.</summary>
    NoReplyToEndOfHeaders = 0x40000,

    /// <summary>SMFIP_NR_BODY: body chunks are not answered.</summary>
    NoReplyToBody = 0x80000,

    /// <summary>SMFIP_HDR_LEADSPC: header values are sent with their leading space.</summary>
    HeaderLeadingSpace = 0x100000,
}
