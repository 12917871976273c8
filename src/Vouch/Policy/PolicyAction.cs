namespace Vouch.Policy;

/// <summary>What the MTA is told to do.</summary>
public enum PolicyAction
{
    /// <summary>Accept the mail.</summary>
    Accept,

    /// <summary>Accept it, adding headers that say what was found.</summary>
    Tag,

    /// <summary>Refuse it for now (4xx): the client should try again later.</summary>
    Defer,

    /// <summary>Refuse it (5xx).</summary>
    Reject,
}
