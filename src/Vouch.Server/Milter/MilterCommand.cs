namespace Vouch.Server.Milter;

/// <summary>The commands an MTA sends a milter (libmilter's mfdef.h, SMFIC_*): the packet's first byte.</summary>
public enum MilterCommand : byte
{
    /// <summary>SMFIC_ABORT: forget the message, keep the connection; no reply. Postfix sends two after every message.</summary>
    Abort = (byte)'A',

    /// <summary>SMFIC_BODY: a chunk of the body.</summary>
    Body = (byte)'B',

    /// <summary>SMFIC_CONNECT: the client's host name, address family, port and address.</summary>
    Connect = (byte)'C',

    /// <summary>SMFIC_MACRO: macro values for the next event; never answered.</summary>
    Macro = (byte)'D',

    /// <summary>SMFIC_BODYEOB: the end of the message; always answered, after any header changes.</summary>
    EndOfMessage = (byte)'E',

    /// <summary>SMFIC_HELO: the HELO or EHLO name; may come more than once.</summary>
    Helo = (byte)'H',

    /// <summary>SMFIC_QUIT_NC: the session ends, the connection stays for a new one; no reply.</summary>
    QuitNewConnection = (byte)'K',

    /// <summary>SMFIC_HEADER: one header field, name and value.</summary>
    Header = (byte)'L',

    /// <summary>SMFIC_MAIL: MAIL FROM, the reverse path then ESMTP arguments.</summary>
    Mail = (byte)'M',

    /// <summary>SMFIC_EOH: the end of the header.</summary>
    EndOfHeaders = (byte)'N',

    /// <summary>SMFIC_OPTNEG: the MTA's version, actions and protocol options.</summary>
    Negotiate = (byte)'O',

    /// <summary>SMFIC_QUIT: close the connection; no reply.</summary>
    Quit = (byte)'Q',

    /// <summary>SMFIC_RCPT: RCPT TO, the forward path then ESMTP arguments.</summary>
    Recipient = (byte)'R',

    /// <summary>SMFIC_DATA: the DATA command (protocol version 4 on).</summary>
    Data = (byte)'T',

    /// <summary>SMFIC_UNKNOWN: a command the MTA did not know (protocol version 3 on).</summary>
    Unknown = (byte)'U',
}
