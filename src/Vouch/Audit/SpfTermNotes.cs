namespace Vouch.Audit;

/// <summary>What the audit noticed about one term of the SPF budget tree; several can hold at once.</summary>
[Flags]
public enum SpfTermNotes
{
    /// <summary>Nothing to note.</summary>
    None = 0,

    /// <summary>An include whose target belongs to another organisation (its organisational domain differs).</summary>
    Provider = 1,

    /// <summary>The target has no SPF record (include, redirect) or no addresses (a, mx, exists).</summary>
    DeadTarget = 2,

    /// <summary>The target is already being evaluated higher up the tree: an include/redirect loop; not walked again.</summary>
    Loop = 4,

    /// <summary>The target was included before; its subtree is shown once and counted again here.</summary>
    DuplicateInclude = 8,

    /// <summary>Beyond the limit of DNS-querying terms or void lookups (RFC 7208 §4.6.4): evaluation never reaches it (permerror first).</summary>
    BeyondLimit = 16,

    /// <summary>After an "all" term, or a redirect in a record with "all" (RFC 7208 §6.1): never evaluated, not counted.</summary>
    NeverReached = 32,

    /// <summary>The lookup came back empty (NXDOMAIN or no data): a void lookup (RFC 7208 §4.6.4).</summary>
    Void = 64,

    /// <summary>The domain-spec holds macros: the target depends on the sender; the tree shows the first audited address's expansion.</summary>
    Macro = 128,

    /// <summary>The lookup failed (SERVFAIL or timeout): the audit could not tell.</summary>
    DnsFailure = 256,

    /// <summary>Not walked: the tree is deeper or larger than the audit follows.</summary>
    NotWalked = 512,
}
