using System.Net;

namespace Vouch.Dns;

/// <summary>Settings of the <see cref="NetworkResolver"/>; every default is stated.</summary>
public sealed record NetworkResolverOptions
{
    /// <summary>The DNS servers to ask, in order. Empty (the default) means those in /etc/resolv.conf.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>How long to wait for one reply before retrying or giving up. Default 2 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Retries per server after a timeout or network error (not after an answer). Default 1: two tries in all.</summary>
    public int Retries { get; init; } = 1;

    /// <summary>The EDNS0 UDP payload size offered (RFC 6891); a truncated reply is asked again over TCP. Default 1232 (the DNS flag day 2020 value).</summary>
    public int UdpPayloadSize { get; init; } = 1232;

    /// <summary>The negative-caching TTL used when an empty answer carries no SOA (RFC 2308 §5 says not to cache then; a short TTL is the safe middle). Default 60 seconds.</summary>
    public TimeSpan NegativeTtlWithoutSoa { get; init; } = TimeSpan.FromSeconds(60);
}
