namespace Vouch.Spf;

/// <summary>
/// A mechanism of an SPF record (RFC 7208 §5): one sealed subclass per mechanism. Mechanisms are data:
/// the evaluator decides whether they match.
/// </summary>
public abstract record SpfMechanism
{
    /// <summary>The mechanism's name as RFC 7208 writes it: all, include, a, mx, ptr, ip4, ip6, exists.</summary>
    public abstract string Name { get; }

    /// <summary>True for the mechanisms that query DNS and count toward the limit of 10 (RFC 7208 §4.6.4).</summary>
    public virtual bool CountsTowardLookupLimit => false;
}
