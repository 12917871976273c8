namespace Vouch.Smtp;

/// <summary>What the argument of MAIL FROM turned out to be.</summary>
public enum ReversePathKind
{
    /// <summary>The null reverse-path <c>&lt;&gt;</c> of a bounce (RFC 5321 §4.5.5).</summary>
    Null,

    /// <summary>A mailbox: a local part and a domain or address literal (RFC 5321 §4.1.2).</summary>
    Mailbox,

    /// <summary>Anything else: no '@', an empty local part or domain, a domain that is not one, control or non-ASCII characters, over-long parts.</summary>
    Malformed,
}
