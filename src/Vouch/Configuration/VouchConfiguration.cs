using Vouch.Dns.Caching;
using Vouch.Dns.Wire;
using Vouch.Lists;
using Vouch.Policy;
using Vouch.Registration;
using Vouch.Reputation;
using Vouch.Rmx;
using Vouch.Spf;

namespace Vouch.Configuration;

/// <summary>Every setting of Vouch, as read from one TOML file (see docs/configuration.md). Each part's defaults are its own.</summary>
public sealed record VouchConfiguration
{
    /// <summary>The default configuration: monitor mode, RFC limits, the system's DNS servers.</summary>
    public static VouchConfiguration Default { get; } = new();

    /// <summary>The whole check: its deadline, whether the HELO identity is checked, the trace.</summary>
    public ChecksOptions Checks { get; init; } = ChecksOptions.Default;

    /// <summary>SPF engine limits and defaults. Within a whole check of a request its deadline and trace setting are <see cref="Checks"/>'s.</summary>
    public SpfOptions Spf { get; init; } = SpfOptions.Default;

    /// <summary>DNS servers, timeout and retries.</summary>
    public NetworkResolverOptions Dns { get; init; } = new();

    /// <summary>The shared DNS cache.</summary>
    public DnsCacheOptions Cache { get; init; } = new();

    /// <summary>MX registration, FCrDNS and the Public Suffix List.</summary>
    public RegistrationOptions Registration { get; init; } = new();

    /// <summary>Allow and block lists, DNS lists.</summary>
    public ListOptions Lists { get; init; } = new();

    /// <summary>RMX records (draft-danisch-dns-rr-smtp-03).</summary>
    public RmxOptions Rmx { get; init; } = new();

    /// <summary>The Postfix policy service (<c>vouch serve</c>).</summary>
    public PolicyServerOptions Server { get; init; } = new();

    /// <summary>The mail filter (<c>vouch milter</c>).</summary>
    public MilterOptions Milter { get; init; } = new();

    /// <summary>Mode and decision table.</summary>
    public PolicyOptions Policy { get; init; } = new();

    /// <summary>[reputation]: owner reputation, its store, tickets and reports.</summary>
    public ReputationOptions Reputation { get; init; } = ReputationOptions.Default;

    /// <summary>
    /// What the file said that still works but should change, one line each with the file and line: a key in
    /// its old place ("[spf] deadline_seconds is deprecated; use [checks] deadline_seconds"). Empty by default.
    /// </summary>
    public IReadOnlyList<string> Deprecations { get; init; } = [];

    /// <summary>
    /// Which configuration this is, for the decision log: the first 12 hex digits of the SHA-256 of the file's
    /// text, or "defaults" when no file was read. Two decisions with the same identity were made under one table.
    /// </summary>
    public string Identity { get; init; } = DefaultIdentity;

    /// <summary>The <see cref="Identity"/> of the built-in defaults.</summary>
    public const string DefaultIdentity = "defaults";

    /// <summary>The identity of configuration text: the first 12 hex digits of its SHA-256 (UTF-8).</summary>
    public static string IdentityOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12];
    }
}
