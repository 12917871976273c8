namespace Vouch.Spf;

/// <summary>
/// One step of an SPF evaluation, in order: a DNS query, a record chosen, a term evaluated, a result reached.
/// <see cref="Depth"/> is 0 for the checked domain and grows by one per include or redirect.
/// </summary>
/// <param name="Depth">The nesting level of the check_host() call this step belongs to.</param>
public abstract record SpfTraceEvent(int Depth);
