using System.Net;
using Vouch.Configuration;
using Vouch.Lists;
using Vouch.Network;
using Vouch.Policy;

namespace Vouch.Tests.Configuration;

public sealed class ConfigurationLoaderTests
{
    private static string ExamplePath => Path.Combine(TestPaths.RepositoryRoot, "examples", "vouch.toml");

    [Fact]
    public async Task ExampleFileSetsEveryOption()
    {
        var configuration = await ConfigurationLoader.LoadAsync(ExamplePath, CancellationToken.None);

        Assert.Equal(PolicyMode.Monitor, configuration.Policy.Mode);
        Assert.Equal(new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero), configuration.Policy.EnforceFrom);
        Assert.Equal("/usr/share/publicsuffix/public_suffix_list.dat", configuration.Registration.PublicSuffixListPath);

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 53), new IPEndPoint(IPAddress.IPv6Loopback, 53)], configuration.Dns.Servers);
        Assert.Equal(TimeSpan.FromMilliseconds(2000), configuration.Dns.Timeout);
        Assert.Equal(1, configuration.Dns.Retries);
        Assert.Equal(1232, configuration.Dns.UdpPayloadSize);

        Assert.Equal(100_000, configuration.Cache.MaxEntries);
        Assert.Equal(TimeSpan.Zero, configuration.Cache.MinimumTtl);
        Assert.Equal(TimeSpan.FromDays(1), configuration.Cache.MaximumTtl);
        Assert.Equal(TimeSpan.FromSeconds(2), configuration.Cache.FailureTtl);

        Assert.True(configuration.Checks.CheckHelo);
        Assert.Equal(TimeSpan.FromSeconds(20), configuration.Checks.Deadline);
        Assert.Empty(configuration.Deprecations);

        Assert.Equal(10, configuration.Spf.MaxDnsLookups);
        Assert.Equal(2, configuration.Spf.MaxVoidLookups);
        Assert.Equal("mx.example.org", configuration.Spf.ReceivingHost);
        Assert.Equal("%{d} does not designate %{c} as a permitted sender", configuration.Spf.DefaultExplanation);

        Assert.True(configuration.Registration.Enabled);
        Assert.False(configuration.Registration.ImplicitMx);
        Assert.Equal(24, configuration.Registration.MatchPrefixLengthIPv4);
        Assert.Equal(64, configuration.Registration.MatchPrefixLengthIPv6);
        Assert.Equal(10, configuration.Registration.MaxMxHostsPerDomain);
        Assert.Equal(10, configuration.Registration.MaxPtrNames);
        Assert.Equal(30, configuration.Registration.QueryBudget);

        Assert.Equal([Prefix("192.0.2.0", 24), Prefix("2001:db8::", 32)], configuration.Lists.AllowAddresses);
        Assert.Equal(["partner.example"], configuration.Lists.AllowDomains);
        Assert.Equal([Prefix("203.0.113.0", 24)], configuration.Lists.BlockAddresses);
        Assert.Equal(["spammer.example"], configuration.Lists.BlockDomains);
        Assert.Equal(TimeSpan.FromMinutes(15), configuration.Lists.SelfTestInterval);

        Assert.Collection(
            configuration.Lists.DnsLists,
            zen =>
            {
                Assert.Equal(("zen", "zen.dnsbl.example", DnsListKind.Address, PolicyAction.Reject), (zen.Name, zen.Zone, zen.Kind, configuration.Policy.ListActions[zen.Name]));
                Assert.Equal([Prefix("127.0.0.0", 8)], zen.ListedAnswers);
                Assert.Equal([Prefix("127.255.255.0", 24)], zen.ErrorAnswers);
            },
            dbl =>
            {
                Assert.Equal(("dbl", "dbl.rhsbl.example", DnsListKind.Domain, PolicyAction.Tag), (dbl.Name, dbl.Zone, dbl.Kind, configuration.Policy.ListActions[dbl.Name]));
                Assert.Same(DnsListDefinition.DefaultListedAnswers, dbl.ListedAnswers);
                Assert.Same(DnsListDefinition.DefaultErrorAnswers, dbl.ErrorAnswers);
            });

        // softfail_action = "defer": only that row changes, and its code becomes a 4.x.x code.
        var softFail = Assert.Single(configuration.Policy.Rules, r => r.When == RuleCondition.SpfSoftFail);
        Assert.Equal((Verdict.Black, PolicyAction.Defer, "4.7.1"), (softFail.Verdict, softFail.Action, softFail.StatusCode));
        Assert.Equal(
            DecisionTable.Default.Where(r => r.When != RuleCondition.SpfSoftFail),
            configuration.Policy.Rules.Where(r => r.When != RuleCondition.SpfSoftFail));
    }

    [Fact]
    public void EmptyFileGivesTheDefaults()
    {
        Assert.Equal(VouchConfiguration.Default, AsDefaults(Parse("")));
        Assert.Equal(VouchConfiguration.Default, AsDefaults(Parse("# only a comment\n\n")));
    }

    [Fact]
    public void EmptyTablesGiveTheDefaults() =>
        Assert.Equal(VouchConfiguration.Default, AsDefaults(Parse("[dns]\n[cache]\n[spf]\n[registration]\n[lists]\n[policy]\n")));

    [Fact]
    public void TheIdentityIsTheTextsHashSoThatTheDecisionLogTellsTablesApart()
    {
        Assert.Equal("defaults", VouchConfiguration.Default.Identity);
        Assert.Equal("e3b0c44298fc", Parse("").Identity); // SHA-256 of no bytes
        Assert.Equal(Parse("mode = \"enforce\"\n").Identity, Parse("mode = \"enforce\"\n").Identity);
        Assert.NotEqual(Parse("mode = \"enforce\"\n").Identity, Parse("mode = \"enforce\" # now\n").Identity);
    }

    /// <summary>The configuration with the defaults' identity: what it says, not which text said it.</summary>
    private static VouchConfiguration AsDefaults(VouchConfiguration configuration) => configuration with { Identity = VouchConfiguration.DefaultIdentity };

    [Fact]
    public void EnforceFromAsDateIsMidnightUtc()
    {
        var policy = Parse("enforce_from = 2027-01-15").Policy;

        Assert.Equal(new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero), policy.EnforceFrom);
        Assert.Equal(PolicyMode.Monitor, policy.ModeAt(new DateTimeOffset(2027, 1, 14, 23, 59, 59, TimeSpan.Zero)));
        Assert.Equal(PolicyMode.Enforce, policy.ModeAt(new DateTimeOffset(2027, 1, 15, 0, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("2027-01-15T08:30:00+01:00", 7, 30)]
    [InlineData("2027-01-15T08:30:00Z", 8, 30)]
    [InlineData("2027-01-15 08:30:00-02:00", 10, 30)]
    public void EnforceFromAsOffsetDateTimeKeepsTheMoment(string written, int utcHour, int utcMinute)
    {
        var from = Parse($"enforce_from = {written}").Policy.EnforceFrom;

        Assert.Equal(new DateTimeOffset(2027, 1, 15, utcHour, utcMinute, 0, TimeSpan.Zero), from);
    }

    [Fact]
    public void TheHeloCheckCanBeTurnedOff() => Assert.False(Parse("[checks]\ncheck_helo = false").Checks.CheckHelo);

    [Theory]
    [InlineData("deadline_seconds = 7", "deadline_seconds")]
    [InlineData("check_helo = false", "check_helo")]
    public void TheWholeChecksOptionsUnderSpfStillWorkAndAreNotedAsDeprecated(string setting, string key)
    {
        var old = Parse($"[spf]\nmax_dns_lookups = 10\n{setting}");
        var moved = Parse($"[checks]\n{setting}");

        Assert.Equal(moved.Checks, old.Checks);
        Assert.NotEqual(ChecksOptions.Default, old.Checks);
        Assert.Equal([$"test.toml:3: [spf] {key} is deprecated; use [checks] {key}"], old.Deprecations);
        Assert.Empty(moved.Deprecations);
    }

    [Fact]
    public void AWholeCheckOptionGivenUnderSpfAndChecksIsAnError()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse("[checks]\ndeadline_seconds = 10\n[spf]\ndeadline_seconds = 20"));

        Assert.Equal((4, "spf.deadline_seconds"), (error.Line, error.Key));
        Assert.Equal("is given in [checks] too (line 2); [spf] deadline_seconds is deprecated: remove it and keep [checks] deadline_seconds", error.Problem);
    }

    [Fact]
    public void RegistrationCanBeTurnedOff() => Assert.False(Parse("[registration]\nenabled = false").Registration.Enabled);

    [Fact]
    public void ModeEnforce() => Assert.Equal(PolicyMode.Enforce, Parse("mode = \"enforce\"").Policy.Mode);

    [Fact]
    public void DottedKeysAndInlineTablesAreTheSameAsTables()
    {
        var dotted = Parse("dns.timeout_ms = 500\nlists.dns = [{ name = \"a\", zone = \"a.example\", type = \"domain\" }]");
        var tables = Parse("[dns]\ntimeout_ms = 500\n[[lists.dns]]\nname = \"a\"\nzone = \"a.example\"\ntype = \"domain\"");

        Assert.Equal(TimeSpan.FromMilliseconds(500), dotted.Dns.Timeout);
        Assert.Equal(tables.Lists.DnsLists, dotted.Lists.DnsLists);
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1/32")]
    [InlineData("192.0.2.77/24", "192.0.2.77/24")]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    [InlineData("::ffff:192.0.2.1/120", "::ffff:192.0.2.1/120")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void ListEntriesThatAreAddressesOrNetworks(string entry, string expected)
    {
        var lists = Parse($"lists.block = [\"{entry}\"]").Lists;

        Assert.Equal(expected, Assert.Single(lists.BlockAddresses).ToString());
        Assert.Empty(lists.BlockDomains);
    }

    [Theory]
    [InlineData("Partner.Example", "partner.example")]
    [InlineData("partner.example.", "partner.example")]
    [InlineData("_spf.partner.example", "_spf.partner.example")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("BÜCHER.example", "xn--bcher-kva.example")]
    [InlineData("bücher\u3002example", "xn--bcher-kva.example")]
    [InlineData("straße.example", "xn--strae-oqa.example")]
    [InlineData("example", "example")]
    [InlineData("1.example", "1.example")]
    public void ListEntriesThatAreDomains(string entry, string expected)
    {
        var lists = Parse($"lists.allow = [\"{entry}\"]").Lists;

        Assert.Equal(expected, Assert.Single(lists.AllowDomains));
        Assert.Empty(lists.AllowAddresses);
    }

    [Fact]
    public void DnsListDefaults()
    {
        var configuration = Parse("[[lists.dns]]\nname = \"x\"\nzone = \"X.Example.\"\ntype = \"address\"");
        var list = Assert.Single(configuration.Lists.DnsLists);

        Assert.Equal("x.example", list.Zone);
        Assert.Same(DnsListDefinition.DefaultListedAnswers, list.ListedAnswers);
        Assert.Same(DnsListDefinition.DefaultErrorAnswers, list.ErrorAnswers);
        Assert.Equal(PolicyAction.Reject, configuration.Policy.ListActions[list.Name]);
    }

    [Fact]
    public void DnsServersDefaultToPort53()
    {
        var servers = Parse("dns.servers = [\"192.0.2.53\", \"192.0.2.54:5353\", \"2001:db8::53\", \"[2001:db8::54]:5353\"]").Dns.Servers;

        Assert.Equal(["192.0.2.53:53", "192.0.2.54:5353", "[2001:db8::53]:53", "[2001:db8::54]:5353"], servers.Select(s => s.ToString()));
    }

    [Fact]
    public void OptionalPrefixLengthsStayUnsetWhenAbsent()
    {
        var registration = Parse("registration.implicit_mx = true").Registration;

        Assert.True(registration.ImplicitMx);
        Assert.Null(registration.MatchPrefixLengthIPv4);
        Assert.Null(registration.MatchPrefixLengthIPv6);
    }

    [Fact]
    public async Task UnreadableFileIsAnErrorAtLineZero()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vouch-missing-{Guid.NewGuid():N}.toml");

        var error = await Assert.ThrowsAsync<ConfigurationException>(() => ConfigurationLoader.LoadAsync(path, CancellationToken.None));

        Assert.Equal((path, 0, ""), (error.FileName, error.Line, error.Key));
        Assert.StartsWith($"{path}: cannot read the file", error.Message, StringComparison.Ordinal);
        Assert.IsType<FileNotFoundException>(error.InnerException);
    }

    [Fact]
    public void EveryRuleConditionHasAWord() =>
        Assert.Equal(Enum.GetValues<RuleCondition>().Order(), ConfigurationWords.Conditions.Select(c => c.Value).Order());

    [Fact]
    public void TheDefaultTableUsesOnlyKnownPlaceholders()
    {
        foreach (var rule in DecisionTable.Default)
        {
            foreach (var placeholder in System.Text.RegularExpressions.Regex.Matches(rule.Reason, @"\{([^}]*)\}").Select(m => m.Groups[1].Value))
            {
                Assert.Contains(placeholder, ConfigurationWords.ReasonPlaceholders);
            }
        }
    }

    internal static VouchConfiguration Parse(string toml) => ConfigurationLoader.Parse(toml, "test.toml");

    private static AddressPrefix Prefix(string address, int length) => new(IPAddress.Parse(address), length);

    [Fact]
    public void TheRetransmissionInFlightAndSocketRotationKeysAreRead()
    {
        var dns = Parse("[dns]\nmin_retransmit_ms = 20\nmax_transmissions = 7\nmax_in_flight = 64\nsocket_max_queries = 500\nsocket_max_age_seconds = 30\n").Dns;

        Assert.Equal(
            (TimeSpan.FromMilliseconds(20), 7, 64, 500, TimeSpan.FromSeconds(30)),
            (dns.MinimumRetransmitInterval, dns.MaxTransmissions, dns.MaxInFlightPerServer, dns.SocketMaxQueries, dns.SocketMaxAge));
    }
}
