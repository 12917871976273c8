namespace Vouch.PolicyLoad;

/// <summary>One line of the benchmark workload: the connecting client, the MAIL FROM address ("" for a bounce) and the HELO name.</summary>
internal sealed record WorkloadLine(string Ip, string Sender, string Helo);
