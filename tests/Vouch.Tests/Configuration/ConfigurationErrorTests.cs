using Vouch.Configuration;

namespace Vouch.Tests.Configuration;

public sealed class ConfigurationErrorTests
{
    [Fact]
    public void UnknownKeyNamesItsLineAndTheKeysExpected()
    {
        var error = Fails("mode = \"monitor\"\n\n[dns]\nservers = []\nretries = 2\n\ntimeout = 5\n");

        Assert.Equal((7, "dns.timeout"), (error.Line, error.Key));
        Assert.Equal("unknown key (did you mean 'timeout_ms'?); expected one of servers, timeout_ms, retries, udp_payload_size, min_retransmit_ms, max_transmissions, max_in_flight, socket_max_queries, socket_max_age_seconds", error.Problem);
        Assert.Equal($"test.toml:7: dns.timeout: {error.Problem}", error.Message);
    }

    [Fact]
    public void UnknownTopLevelKey()
    {
        var error = Fails("modus = \"enforce\"");

        Assert.Equal((1, "modus"), (error.Line, error.Key));
        Assert.StartsWith("unknown key (did you mean 'mode'?); expected one of mode, enforce_from, public_suffix_list, dns,", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheServerTableIsRead()
    {
        var configuration = Vouch.Configuration.ConfigurationLoader.Parse("[server]\nlisten = \"unix:/run/vouch.sock\"\nskip_networks = [\"192.0.2.0/24\"]\njson_log = true\nidle_timeout_seconds = 60\n", "server.toml");

        Assert.Equal("unix:/run/vouch.sock", Vouch.Network.ListenAddress.ToText(configuration.Server.Listen));
        Assert.Equal("192.0.2.0/24", Assert.Single(configuration.Server.SkipNetworks).ToString());
        Assert.True(configuration.Server.JsonLog);
        Assert.Equal(TimeSpan.FromSeconds(60), configuration.Server.IdleTimeout);
        Assert.Contains("server.listen", Fails("[server]\nlisten = \"nowhere\"\n").Message, StringComparison.Ordinal);
        var own = Vouch.Configuration.ConfigurationLoader.Parse("[server]\nskip_domains = [\"Example.ORG\"]\nheader_on_accept = false\nfailure_action = \"defer\"\n", "server.toml").Server;
        Assert.Equal(("example.org", false, FailureAction.Defer), (Assert.Single(own.SkipDomains), own.HeaderOnAccept, own.FailureAction));
        Assert.Contains("'not a domain' is not a domain name; expected a name such as example.org", Fails("[server]\nskip_domains = [\"not a domain\"]\n").Message, StringComparison.Ordinal);
        // Read as a domain is read everywhere (a trailing dot, an IDN), less names of one label: our domains have MX records.
        Assert.Equal(["example.org", "xn--bcher-kva.example"], Vouch.Configuration.ConfigurationLoader.Parse("[server]\nskip_domains = [\"Example.ORG.\", \"bücher.example\"]\n", "server.toml").Server.SkipDomains);
        Assert.Contains("'exa mple.org' is not a domain name;", Fails("[server]\nskip_domains = [\"exa mple.org\"]\n").Message, StringComparison.Ordinal);
        Assert.Contains("'example' is not a domain name;", Fails("[server]\nskip_domains = [\"example\"]\n").Message, StringComparison.Ordinal);
        Assert.Contains("server.host_name: 'mx..example.org' has an empty label", Fails("[server]\nhost_name = \"mx..example.org\"\n").Message, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite,
            Vouch.Configuration.ConfigurationLoader.Parse("[server]\nsocket_mode = \"0666\"\n", "server.toml").Server.SocketMode);
        Assert.Contains("'rw-rw----' is not a file mode; expected octal permissions such as \"0660\"", Fails("[server]\nsocket_mode = \"rw-rw----\"\n").Message, StringComparison.Ordinal);
        Assert.Contains("expected \"auto\", \"dunno\" or \"defer\"", Fails("[server]\nfailure_action = \"accept\"\n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTable()
    {
        var error = Fails("[dns]\nretries = 1\n\n[smtp]\nlisten = \"127.0.0.1:10023\"\n");

        Assert.Equal((4, "smtp"), (error.Line, error.Key));
        Assert.StartsWith("unknown table; expected one of mode,", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownNestedTable()
    {
        var error = Fails("[spf]\nmax_dns_lookups = 10\n[spf.limits]\nx = 1\n");

        Assert.Equal((3, "spf.limits"), (error.Line, error.Key));
        Assert.StartsWith("unknown table; expected one of max_dns_lookups,", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKeyInATableListNamesTheElement()
    {
        var error = Fails(DnsList("a") + DnsList("b") + "weight = 3\n");

        Assert.Equal((11, "lists.dns[2].weight"), (error.Line, error.Key));
        Assert.StartsWith("unknown key; expected one of name, zone, type, listed, errors, action", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[dns]\ntimeout_ms = \"2s\"", 2, "dns.timeout_ms", "expected an integer from 1 to 60000, found the string \"2s\"")]
    [InlineData("[dns]\ntimeout_ms = 2.5", 2, "dns.timeout_ms", "expected an integer from 1 to 60000, found a float")]
    [InlineData("[registration]\nimplicit_mx = \"yes\"", 2, "registration.implicit_mx", "expected true or false, found the string \"yes\"")]
    [InlineData("mode = 1", 1, "mode", "expected a string, found the integer 1")]
    [InlineData("dns = \"127.0.0.1\"", 1, "dns", "expected a table ([dns]), found the string \"127.0.0.1\"")]
    [InlineData("[dns]\nservers = \"127.0.0.1\"", 2, "dns.servers", "expected an array of strings, found the string \"127.0.0.1\"")]
    [InlineData("[dns]\nservers = [\"127.0.0.1\",\n  53]", 3, "dns.servers[2]", "expected a string, found the integer 53")]
    [InlineData("[lists]\ndns = \"zen\"", 2, "lists.dns", "expected a list of tables ([[lists.dns]]), found the string \"zen\"")]
    [InlineData("enforce_from = \"2027-01-15\"", 1, "enforce_from", "expected a date (2027-01-15, meaning 00:00 UTC) or a date-time with an offset (2027-01-15T08:00:00+01:00), found the string \"2027-01-15\"")]
    [InlineData("enforce_from = 2027-01-15T08:00:00", 1, "enforce_from", "expected a date (2027-01-15, meaning 00:00 UTC) or a date-time with an offset (2027-01-15T08:00:00+01:00), found a date-time without offset")]
    [InlineData("enforce_from = 08:00:00", 1, "enforce_from", "expected a date (2027-01-15, meaning 00:00 UTC) or a date-time with an offset (2027-01-15T08:00:00+01:00), found a time")]
    public void WrongType(string toml, int line, string key, string problem) => AssertError(toml, line, key, problem);

    [Theory]
    [InlineData("[dns]\ntimeout_ms = 0", 2, "dns.timeout_ms", "0 is out of range; expected 1–60000")]
    [InlineData("[dns]\nretries = -1", 2, "dns.retries", "-1 is out of range; expected 0–10")]
    [InlineData("[dns]\nudp_payload_size = 100", 2, "dns.udp_payload_size", "100 is out of range; expected 512–4096")]
    [InlineData("[cache]\nmax_entries = 0", 2, "cache.max_entries", "0 is out of range; expected 1–10000000")]
    [InlineData("[cache]\nfailure_ttl_seconds = 600", 2, "cache.failure_ttl_seconds", "600 is out of range; expected 0–300")]
    [InlineData("[spf]\nmax_dns_lookups = 0", 2, "spf.max_dns_lookups", "0 is out of range; expected 1–100")]
    [InlineData("[spf]\nmax_void_lookups = -2", 2, "spf.max_void_lookups", "-2 is out of range; expected 0–100")]
    [InlineData("[spf]\ndeadline_seconds = 99999999999", 2, "spf.deadline_seconds", "99999999999 is out of range; expected 1–600")]
    [InlineData("[checks]\ndeadline_seconds = 0", 2, "checks.deadline_seconds", "0 is out of range; expected 1–600")]
    [InlineData("[registration]\nmatch_prefix_ipv4 = 33", 2, "registration.match_prefix_ipv4", "33 is out of range; expected 0–32")]
    [InlineData("[registration]\nmatch_prefix_ipv6 = 129", 2, "registration.match_prefix_ipv6", "129 is out of range; expected 0–128")]
    [InlineData("[registration]\nquery_budget = 0", 2, "registration.query_budget", "0 is out of range; expected 1–1000")]
    [InlineData("[lists]\nself_test_interval_minutes = 0", 2, "lists.self_test_interval_minutes", "0 is out of range; expected 1–1440")]
    [InlineData("[cache]\nmin_ttl_seconds = 600\nmax_ttl_seconds = 60", 2, "cache.min_ttl_seconds", "min_ttl_seconds (600) is more than max_ttl_seconds (60)")]
    public void OutOfRange(string toml, int line, string key, string problem) => AssertError(toml, line, key, problem);

    [Theory]
    [InlineData("mode = \"enforcing\"", 1, "mode", "'enforcing' is not known; expected \"monitor\" or \"enforce\"")]
    [InlineData("mode = \"Enforce\"", 1, "mode", "'Enforce' is not known; expected \"monitor\" or \"enforce\"")]
    [InlineData("[policy]\nsoftfail_action = \"quarantine\"", 2, "policy.softfail_action", "'quarantine' is not known; expected \"accept\", \"tag\", \"defer\" or \"reject\"")]
    [InlineData("[[lists.dns]]\nname = \"x\"\nzone = \"x.example\"\ntype = \"ip\"", 4, "lists.dns[1].type", "'ip' is not known; expected \"address\" or \"domain\"")]
    [InlineData("[[policy.rules]]\nwhen = \"spf_softfailed\"\nverdict = \"black\"\naction = \"reject\"\ncode = \"5.7.1\"\nreason = \"x\"", 2, "policy.rules[1].when", "'spf_softfailed' is not known; expected \"allow_listed\", \"block_listed\", \"null_mx_sender\", \"spf_fail\", \"rmx_denied\", \"owner_blocked\", \"client_blocked\", \"owner_suspect\", \"spf_pass\", \"rmx_granted\", \"mx_registered\", \"temporary_failure\", \"spf_softfail\", \"spf_neutral\", \"spf_none\", \"spf_permerror\", \"fcrdns_fail\", \"helo_missing\", \"helo_malformed\", \"helo_literal_mismatch\", \"sender_malformed\", \"client_unreadable\", \"own_mx_host\", \"trusted_relay\" or \"always\"")]
    [InlineData("[[policy.rules]]\nwhen = \"always\"\nverdict = \"gray\"\naction = \"reject\"\ncode = \"5.7.1\"\nreason = \"x\"", 3, "policy.rules[1].verdict", "'gray' is not known; expected \"white\", \"black\" or \"grey\"")]
    public void BadWord(string toml, int line, string key, string problem) => AssertError(toml, line, key, problem);

    [Theory]
    [InlineData("192.0.2.0/33", "'192.0.2.0/33' has a bad prefix length; expected /0 to /32 for an IPv4 network")]
    [InlineData("2001:db8::/129", "'2001:db8::/129' has a bad prefix length; expected /0 to /128 for an IPv6 network")]
    [InlineData("192.0.2.0/-1", "'192.0.2.0/-1' has a bad prefix length; expected /0 to /32 for an IPv4 network")]
    [InlineData("192.0.2.0/", "'192.0.2.0/' has a bad prefix length; expected /0 to /32 for an IPv4 network")]
    [InlineData("192.0.2.256/24", "'192.0.2.256/24' is not an IP address or network; expected an address (192.0.2.1, 2001:db8::1) or address/length (192.0.2.0/24, 2001:db8::/32)")]
    [InlineData("0x7f.0.0.1/8", "'0x7f.0.0.1/8' is not an IP address or network; expected an address (192.0.2.1, 2001:db8::1) or address/length (192.0.2.0/24, 2001:db8::/32)")]
    [InlineData("2001:db8::g", "'2001:db8::g' is not an IP address or network; expected an address (192.0.2.1, 2001:db8::1) or address/length (192.0.2.0/24, 2001:db8::/32)")]
    public void BadPrefix(string entry, string problem) =>
        AssertError($"[lists]\nallow = [\n  \"192.0.2.1\",\n  \"{entry}\",\n]", 4, "lists.allow[2]", problem);

    [Fact]
    public void DnsListAnswersMustBeIPv4() =>
        AssertError(
            "[[lists.dns]]\nname = \"x\"\nzone = \"x.example\"\ntype = \"address\"\nlisted = [\"::1\"]",
            5,
            "lists.dns[1].listed[1]",
            "'::1' is an IPv6 network; DNS list answers are A records, so expected an IPv4 network such as 127.0.0.0/8");

    [Theory]
    [InlineData("bad..example", "'bad..example' has an empty label (two dots in a row, or a leading dot)")]
    [InlineData(".example", "'.example' has an empty label (two dots in a row, or a leading dot)")]
    [InlineData("spam mer.example", "'spam mer.example' has the character ' '; a domain name has letters, digits, '-', '_' and dots")]
    [InlineData("spammer.example/", "'spammer.example/' is not an IP address or network; expected an address (192.0.2.1, 2001:db8::1) or address/length (192.0.2.0/24, 2001:db8::/32)")]
    [InlineData("192.0.2", "'192.0.2' is not a domain name (its last label is all digits) nor an IP address")]
    [InlineData("256.1.1.1", "'256.1.1.1' is not a domain name (its last label is all digits) nor an IP address")]
    [InlineData("", "is empty; expected a domain name such as example.org")]
    public void BadDomain(string entry, string problem)
    {
        var error = Fails($"[lists]\nblock = [\"{entry}\"]");

        Assert.Equal((2, "lists.block[1]"), (error.Line, error.Key));
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void DomainLabelsAreAtMost63Characters()
    {
        var label = new string('a', 64);

        AssertError(
            $"[spf]\nreceiving_host = \"{label}.example\"",
            2,
            "spf.receiving_host",
            $"'{label}.example' has a label of 64 characters; a label has at most 63");
    }

    [Fact]
    public void DomainsAreAtMost253Characters()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4));

        var error = Fails($"lists.allow = [\"{name}\"]");

        Assert.StartsWith($"'{name}' is 255 characters long; a domain name has at most 253", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bü\u00ADcher.example", "'bü\u00ADcher.example' has the character U+00AD, which a domain name cannot have")]
    [InlineData("☃.example", "'☃.example' has the character U+2603, which a domain name cannot have")]
    [InlineData("bücher..example", "'bücher..example' is not a valid internationalized domain name")]
    public void BadInternationalizedDomain(string zone, string problem)
    {
        var error = Fails($"[[lists.dns]]\nname = \"x\"\nzone = \"{zone}\"\ntype = \"domain\"");

        Assert.Equal((3, "lists.dns[1].zone"), (error.Line, error.Key));
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:99999", "'127.0.0.1:99999' has a bad port, expected 1–65535")]
    [InlineData("127.0.0.1:0", "'127.0.0.1:0' has a bad port, expected 1–65535")]
    [InlineData("dns.example:53", "'dns.example:53' is not an address, expected an IP address with an optional port, such as 127.0.0.1:53 or [::1]:53")]
    [InlineData("[::1:53", "'[::1:53' is not an address, expected [IPv6]:port such as [::1]:53")]
    public void BadEndpoint(string server, string problem) =>
        AssertError($"[dns]\nservers = [\"127.0.0.1\", \"{server}\"]", 2, "dns.servers[2]", problem);

    [Fact]
    public void BadExplanation()
    {
        var error = Fails("[spf]\ndefault_explanation = \"%{d} is %{z}\"");

        Assert.Equal((2, "spf.default_explanation"), (error.Line, error.Key));
        Assert.StartsWith("is not an SPF explain-string (RFC 7208 §6.2):", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyPublicSuffixListPath() =>
        AssertError("public_suffix_list = \"\"", 1, "public_suffix_list", "is empty; expected the path of the Public Suffix List file");

    [Fact]
    public void DnsListNeedsNameZoneAndType()
    {
        AssertError("[[lists.dns]]\nzone = \"x.example\"\ntype = \"address\"", 1, "lists.dns[1].name", "is required; expected a string");
        AssertError("[[lists.dns]]\nname = \"x\"\ntype = \"address\"", 1, "lists.dns[1].zone", "is required; expected the list's DNS zone, such as zen.dnsbl.example");
        AssertError("[[lists.dns]]\nname = \"x\"\nzone = \"x.example\"", 1, "lists.dns[1].type", "is required; expected \"address\" or \"domain\"");
    }

    [Fact]
    public void DnsListNamesAreUnique() =>
        AssertError(DnsList("zen") + DnsList("zen"), 7, "lists.dns[2].name", "'zen' names another DNS list too; each needs its own name for logs and reasons");

    [Fact]
    public void TomlSyntaxErrorNamesItsLine()
    {
        var error = Fails("mode = \"monitor\"\n[dns]\ntimeout_ms = \n");

        Assert.Equal((3, ""), (error.Line, error.Key));
        Assert.StartsWith("not valid TOML: ", error.Problem, StringComparison.Ordinal);
        Assert.StartsWith("test.toml:3: not valid TOML: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnterminatedStringIsATomlError()
    {
        var error = Fails("[spf]\nreceiving_host = \"mx.example.org\n");

        Assert.Equal(2, error.Line);
        Assert.Contains("string", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKeyIsATomlError()
    {
        var error = Fails("[dns]\nretries = 1\ntimeout_ms = 100\nretries = 2\n");

        Assert.Equal(4, error.Line);
        Assert.Contains("`dns.retries` is already defined", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateTableIsATomlError()
    {
        var error = Fails("[dns]\nretries = 1\n\n[dns]\ntimeout_ms = 100\n");

        Assert.Equal(4, error.Line);
        Assert.Contains("`dns` is already defined", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void IntegerTooLargeForTomlIsATomlError()
    {
        var error = Fails("[dns]\nretries = 99999999999999999999\n");

        Assert.Equal(2, error.Line);
        Assert.StartsWith("not valid TOML: ", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vouch:v1")]
    [InlineData("fleet-eu:v2")]
    [InlineData("mx.example.org")]
    public void ARedisPrefixLikeTheDefaultIsRead(string prefix) =>
        Assert.Equal(prefix, ConfigurationLoader.Parse($"[reputation]\nredis_prefix = \"{prefix}\"\n", "test.toml").Reputation.RedisPrefix);

    [Theory]
    [InlineData("")]
    [InlineData("vouch v1")]
    [InlineData("vouch:{v1}")]
    public void ARedisPrefixWithSpacesOrBracesIsRefused(string prefix) =>
        AssertError($"[reputation]\nredis_prefix = \"{prefix}\"\n", 2, "reputation.redis_prefix", "is not a Redis key prefix; expected 1–100 printable ASCII characters without spaces or braces, such as \"vouch:v1\"");

    internal static ConfigurationException Fails(string toml) =>
        Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(toml, "test.toml"));

    internal static void AssertError(string toml, int line, string key, string problem)
    {
        var error = Fails(toml);
        Assert.Equal((line, key, problem), (error.Line, error.Key, error.Problem));
        Assert.Equal("test.toml", error.FileName);
    }

    private static string DnsList(string name) => $"[[lists.dns]]\nname = \"{name}\"\nzone = \"{name}.example\"\ntype = \"address\"\n\n";
}
