namespace Vouch.Reputation;

/// <summary>How firmly a vouch ties the client to its owner: what a report about its mail may charge.</summary>
public enum VouchStrength
{
    /// <summary>The owner's own records list the client (its MX hosts, its own ip4/ip6/a/mx terms, its own RMX entries): the owner row is charged fully.</summary>
    Strong,

    /// <summary>The vouch went only through another organisation's infrastructure (an include into an ESP, a foreign MX host): the (owner, via) row is charged fully, the owner row at a quarter.</summary>
    Shared,

    /// <summary>A catch-all vouch (+all, a network wider than /16 or /32): charged like the others, but it never earns good standing.</summary>
    Weak,
}
