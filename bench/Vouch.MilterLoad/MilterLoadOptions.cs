namespace Vouch.MilterLoad;

/// <summary>What one load run does.</summary>
/// <param name="Transactions">Transactions (one milter connection each) in all; at most 50,000,000 (8 bytes of latency sample each).</param>
/// <param name="Connections">Milter connections open at once, each running one transaction at a time.</param>
/// <param name="Window">Transactions per progress line; the default is one workload pass, so the first line is the cold pass.</param>
/// <param name="StallSeconds">The run fails when no transaction completes for this long.</param>
/// <param name="WritePerPacket">One write per packet, as Postfix does (true), or every packet up to the next awaited reply in one write.</param>
/// <param name="AuthservId">The authserv-id of the forged Authentication-Results header each message carries: the server's own, so that it deletes it.</param>
internal sealed record MilterLoadOptions(int Transactions, int Connections, int Window, int StallSeconds, bool WritePerPacket, string AuthservId);
