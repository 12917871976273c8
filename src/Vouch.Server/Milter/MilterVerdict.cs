namespace Vouch.Server.Milter;

/// <summary>What the milter does with a message: refuse it with an SMTP reply, or let it through with headers inserted at the top and forged results removed.</summary>
/// <param name="Reply">The SMTP reply that refuses the message ("550 5.7.1 …", "451 4.7.1 …"), or null to let it through.</param>
/// <param name="Headers">The fields to insert at the top, topmost first, each as name and value.</param>
/// <param name="RemoveForgedResults">Whether Authentication-Results fields carrying our authserv-id are deleted.</param>
public sealed record MilterVerdict(string? Reply, IReadOnlyList<(string Name, string Value)> Headers, bool RemoveForgedResults)
{
    /// <summary>Nothing to do, and forged results stay (a trusted relay's own headers).</summary>
    public static MilterVerdict Untouched { get; } = new(null, [], false);
}
