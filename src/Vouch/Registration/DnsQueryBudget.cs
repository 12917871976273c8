namespace Vouch.Registration;

/// <summary>
/// A per-request allowance of DNS queries shared by the registration routes (thread-safe). When it is
/// spent, the routes not yet tried are not proven.
/// </summary>
public sealed class DnsQueryBudget(int allowance)
{
    private int spent;

    /// <summary>The queries allowed in all.</summary>
    public int Allowance { get; } = allowance;

    /// <summary>The queries taken so far.</summary>
    public int Spent => Math.Min(Volatile.Read(ref spent), Allowance);

    /// <summary>Takes one query from the allowance; false when none is left.</summary>
    public bool TryTake()
    {
        if (Interlocked.Increment(ref spent) <= Allowance)
        {
            return true;
        }

        Interlocked.Decrement(ref spent);
        return false;
    }
}
