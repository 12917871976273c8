namespace Vouch.Configuration;

/// <summary>The header the policy service prepends when it tags mail; its words are <see cref="ConfigurationWords.Headers"/>.</summary>
public enum TagHeader
{
    /// <summary>"received-spf": Received-SPF (RFC 7208 §9.1).</summary>
    ReceivedSpf,

    /// <summary>"authentication-results": Authentication-Results (RFC 8601).</summary>
    AuthenticationResults,

    /// <summary>"x-rmx": X-RMX (the RMX draft's §8).</summary>
    XRmx,

    /// <summary>"none": no header.</summary>
    None,
}
