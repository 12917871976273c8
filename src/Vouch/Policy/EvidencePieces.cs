namespace Vouch.Policy;

/// <summary>The pieces of <see cref="Evidence"/> that cost DNS questions, each gathered on its own.</summary>
[Flags]
public enum EvidencePieces
{
    /// <summary>No piece.</summary>
    None = 0,

    /// <summary>SPF for the MAIL FROM identity.</summary>
    MailFromSpf = 1,

    /// <summary>SPF for the HELO identity.</summary>
    HeloSpf = 2,

    /// <summary>Forward-confirmed reverse DNS.</summary>
    Fcrdns = 4,

    /// <summary>MX registration (which includes <see cref="SenderNullMx"/>).</summary>
    Registration = 8,

    /// <summary>Whether the MAIL FROM domain publishes a Null MX: one MX question, part of <see cref="Registration"/>.</summary>
    SenderNullMx = 16,

    /// <summary>RMX.</summary>
    Rmx = 32,

    /// <summary>The local allow and block lists and the DNS lists.</summary>
    Lists = 64,

    /// <summary>Every piece.</summary>
    All = MailFromSpf | HeloSpf | Fcrdns | Registration | SenderNullMx | Rmx | Lists,
}
