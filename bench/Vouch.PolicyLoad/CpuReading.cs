namespace Vouch.PolicyLoad;

/// <summary>CPU time used so far by the server (null when not watched or not readable), by this client, and by everything else on the machine.</summary>
internal readonly record struct CpuReading(TimeSpan? Server, TimeSpan? Client, TimeSpan? Other);
