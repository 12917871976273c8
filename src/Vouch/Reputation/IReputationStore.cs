namespace Vouch.Reputation;

/// <summary>
/// Where reputation rows live. Two backends keep one contract (the shared test suite): SQLite for one host,
/// Redis or Valkey for a fleet. Each report is applied atomically: deduplication per (ticket, reporter), the
/// reporter's daily cap, decay, the new counts and the state. A store that cannot answer throws
/// <see cref="ReputationStoreException"/>; the policy then treats reputation as unknown, never as black.
/// </summary>
public interface IReputationStore : IAsyncDisposable
{
    /// <summary>A short name for logs and explanations ("sqlite /var/lib/vouch/reputation.db", "redis 127.0.0.1:6379").</summary>
    string Description { get; }

    /// <summary>
    /// Raised with a subject when one of its rows changed state (in this store, or for Redis in any node of the fleet),
    /// so that a node can refresh its in-memory state map at once. Handlers run on the store's own thread and must be quick.
    /// </summary>
    event Action<string>? StateChanged;

    /// <summary>
    /// Counts one report: dedupe, cap, decay, add, new state, all at once. Every charge must be of one subject.
    /// </summary>
    /// <exception cref="ArgumentException">No charges, charges of several subjects, or a weight or share that is not positive.</exception>
    /// <exception cref="ReputationStoreException">The store could not count it.</exception>
    Task<ReportOutcome> RecordAsync(ReputationReport report, CancellationToken cancellationToken);

    /// <summary>Adds delivered recipient copies (D) to the rows of a vouch (END-OF-MESSAGE).</summary>
    Task AddDeliveriesAsync(IReadOnlyList<ReputationCharge> charges, double recipients, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every row of <paramref name="subject"/> (an owner, or a client's "ip:…"), decayed to <paramref name="now"/>.</summary>
    Task<IReadOnlyList<ReputationRow>> RowsAsync(string subject, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Every row not neutral, decayed and re-judged at <paramref name="now"/> (a row whose reports decayed away is
    /// released here, and saved so); what the in-memory state map is built from.
    /// </summary>
    Task<IReadOnlyList<ReputationRow>> ListedAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The rows with the most spam units, at most <paramref name="count"/>.</summary>
    Task<IReadOnlyList<ReputationRow>> TopAsync(int count, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The latest events of <paramref name="subject"/>, newest first.</summary>
    Task<IReadOnlyList<ReputationEvent>> EventsAsync(string subject, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Pins a row's state (it then neither decays out of it nor moves); audited. An audit action of "unpin" lifts the
    /// pin instead, and the row is judged by its counts again.
    /// </summary>
    Task PinAsync(ReputationKey key, ReputationState state, ReputationAdminAction audit, CancellationToken cancellationToken);

    /// <summary>Removes every row and event of a subject and lifts its pins; audited.</summary>
    Task ClearAsync(string subject, ReputationAdminAction audit, CancellationToken cancellationToken);

    /// <summary>The administrators' pins and clears, newest first.</summary>
    Task<IReadOnlyList<ReputationAdminAction>> AuditAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Remembers which ticket a queued message carries (for reports that name only a queue id).</summary>
    Task LinkQueueIdAsync(string queueId, string ticket, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The ticket a queue id was linked to, or null.</summary>
    Task<string?> FindTicketAsync(string queueId, CancellationToken cancellationToken);

    /// <summary>
    /// The secret reporter ids are hashed with, made once by the first caller and the same for every node and
    /// process sharing the store ever after: unlike the ticket key, it never rotates, so a reporter stays one reporter.
    /// </summary>
    Task<byte[]> ReporterSaltAsync(CancellationToken cancellationToken);

    /// <summary>Returns when everything queued before it (reports, delivered counts summed in memory, queue links) is applied.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
