namespace Vouch.Spf;

/// <summary>Which identity an SPF check authorises (RFC 7208 §2.3, §2.4).</summary>
public enum SpfIdentity
{
    /// <summary>The MAIL FROM (envelope sender) domain, or the HELO name standing in for an empty reverse-path.</summary>
    MailFrom,

    /// <summary>The HELO/EHLO name.</summary>
    Helo,
}
