namespace Vouch.Spf;

/// <summary>The seven results of check_host() (RFC 7208 §2.6). Their tokens are those of Received-SPF (§9.1).</summary>
public enum SpfResultCode
{
    /// <summary>No syntactically valid DNS domain, or no SPF record published (§2.6.1).</summary>
    None,

    /// <summary>The domain owner states nothing about the client (§2.6.2).</summary>
    Neutral,

    /// <summary>The client is authorised (§2.6.3).</summary>
    Pass,

    /// <summary>The client is explicitly not authorised (§2.6.4).</summary>
    Fail,

    /// <summary>The client is probably not authorised (§2.6.5).</summary>
    SoftFail,

    /// <summary>A transient (generally DNS) error; a later retry may succeed (§2.6.6).</summary>
    TempError,

    /// <summary>The published records could not be correctly interpreted (§2.6.7).</summary>
    PermError,
}
