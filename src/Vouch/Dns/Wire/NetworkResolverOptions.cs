using System.Net;

namespace Vouch.Dns.Wire;

/// <summary>Settings of the <see cref="NetworkResolver"/>; every default is stated.</summary>
public sealed record NetworkResolverOptions
{
    /// <summary>The DNS servers to ask, in order. Empty (the default) means those in /etc/resolv.conf.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>
    /// The longest wait between two transmissions of a query: the cap of the retransmission back-off, and the
    /// unit of the time each server is given (see <see cref="Retries"/>). Default 2 seconds.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many more <see cref="Timeout"/>s a server is given before the next server is asked: each server gets
    /// <see cref="Timeout"/> × (1 + Retries) in all, within which the query is retransmitted on the adaptive
    /// schedule (<see cref="MinimumRetransmitInterval"/>, <see cref="MaxTransmissions"/>). A network error
    /// moves on at once. Default 1: 4 seconds per server with the default timeout.
    /// </summary>
    public int Retries { get; init; } = 1;

    /// <summary>
    /// The shortest wait before a query is sent again, whatever the measured round-trip time. Default 50 ms.
    /// Lowering it sends duplicates to a server that is merely slow; raising it makes each lost datagram cost more.
    /// </summary>
    public TimeSpan MinimumRetransmitInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The wait before the first retransmission to a server whose round-trip time is not measured yet
    /// (no reply so far that was not retransmitted). Default 250 ms, capped at <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan InitialRetransmitInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The most times one query is sent to one server (the first transmission included), within the server's
    /// time. Default 5. Raising it sends more datagrams to a server that is down; 1 turns every lost datagram
    /// into a wait for the server's whole time.
    /// </summary>
    public int MaxTransmissions { get; init; } = 5;

    /// <summary>
    /// The most UDP queries waiting for a reply from one server at once; more wait in a queue (for at most the
    /// server's time) rather than burst into a resolver whose socket buffers would drop them. Default 256.
    /// </summary>
    public int MaxInFlightPerServer { get; init; } = 256;

    /// <summary>
    /// A UDP socket (its source port) is replaced after this many queries (RFC 5452 §10); the old one is closed
    /// once its pending queries are done. Default 1,000. Raising it gives a spoofer longer on one port.
    /// </summary>
    public int SocketMaxQueries { get; init; } = 1000;

    /// <summary>A UDP socket (its source port) is replaced when it is this old, at its next use (RFC 5452 §10). Default 60 seconds.</summary>
    public TimeSpan SocketMaxAge { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The EDNS0 UDP payload size offered (RFC 6891); a truncated reply is asked again over TCP. Default 1232 (the DNS flag day 2020 value).</summary>
    public int UdpPayloadSize { get; init; } = 1232;

    /// <summary>The negative-caching TTL used when an empty answer carries no SOA (RFC 2308 §5 says not to cache then; a short TTL is the safe middle). Default 60 seconds.</summary>
    public TimeSpan NegativeTtlWithoutSoa { get; init; } = TimeSpan.FromSeconds(60);
}
