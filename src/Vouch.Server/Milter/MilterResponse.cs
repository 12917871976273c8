namespace Vouch.Server.Milter;

/// <summary>The replies and modification requests a milter sends (mfdef.h, SMFIR_*): the packet's first byte.</summary>
public enum MilterResponse : byte
{
    /// <summary>SMFIR_CONTINUE: go on (at the end of the message: accept it).</summary>
    Continue = (byte)'c',

    /// <summary>SMFIR_ACCEPT: accept without further events.</summary>
    Accept = (byte)'a',

    /// <summary>SMFIR_REJECT: a permanent refusal with the MTA's own text.</summary>
    Reject = (byte)'r',

    /// <summary>SMFIR_TEMPFAIL: a temporary refusal with the MTA's own text.</summary>
    TemporaryFailure = (byte)'t',

    /// <summary>SMFIR_REPLYCODE: a refusal with our SMTP reply ("550 5.7.1 text").</summary>
    ReplyCode = (byte)'y',

    /// <summary>SMFIR_PROGRESS: still working; the MTA restarts its timer.</summary>
    Progress = (byte)'p',

    /// <summary>SMFIR_SKIP: no more body chunks (only when the MTA offered SMFIP_SKIP).</summary>
    Skip = (byte)'s',

    /// <summary>SMFIR_INSHEADER: insert a header field at an index (0: the very top).</summary>
    InsertHeader = (byte)'i',

    /// <summary>SMFIR_CHGHEADER: change (an empty value: delete) the n-th field of a name.</summary>
    ChangeHeader = (byte)'m',

    /// <summary>SMFIC_OPTNEG's answer: the version, actions and protocol options we take.</summary>
    Negotiate = (byte)'O',
}
