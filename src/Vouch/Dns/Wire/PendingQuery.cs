namespace Vouch.Dns.Wire;

/// <summary>
/// A query waiting on a <see cref="UdpSocketChannel"/> for its reply: its message ID, the question as
/// sent (to match the reply's against), and the reply once it came, with when it came (for the
/// round-trip time). Continuations run asynchronously,
/// so completing it never runs the waiter on the socket's receive loop.
/// </summary>
internal sealed class PendingQuery : TaskCompletionSource<DnsReply>
{
    /// <summary>Creates the entry.</summary>
    /// <param name="id">The message ID, unique among the socket's pending queries.</param>
    /// <param name="question">The question section as sent; owned by the query until it stops waiting.</param>
    public PendingQuery(ushort id, ReadOnlyMemory<byte> question)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Id = id;
        Question = question;
    }

    /// <summary>The message ID.</summary>
    public ushort Id { get; }

    /// <summary>The question section as sent (name, type, class).</summary>
    public ReadOnlyMemory<byte> Question { get; }

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> at which the reply was read; set before the reply is handed over.</summary>
    public long ReceivedAt { get; set; }
}
