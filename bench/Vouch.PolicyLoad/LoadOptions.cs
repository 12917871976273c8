namespace Vouch.PolicyLoad;

/// <summary>What one load run does.</summary>
/// <param name="Requests">Requests to send in all, over all connections; at most 50,000,000 (8 bytes of latency sample each).</param>
/// <param name="Connections">Connections open at once, each with one request in flight.</param>
/// <param name="Window">Requests per progress line; the default is one workload pass, so the first line is the cold pass.</param>
/// <param name="StallSeconds">The run fails when no answer arrives for this long.</param>
/// <param name="Messages">Whether each numbered request is a whole message: RCPT, then DATA and END-OF-MESSAGE on the same connection (three round trips, timed together).</param>
internal sealed record LoadOptions(int Requests, int Connections, int Window, int StallSeconds, bool Messages = false);
