using System.Net;
using Vouch.Dns;
using Vouch.Dns.Zones;
using Xunit;

namespace Vouch.Tests.Dns.Zones;

public sealed class ZoneFileParserTests
{
    private const string FileName = "db.test";

    private static ZoneFileContent Parse(string text, string? defaultOrigin = "example.com") =>
        ZoneFileParser.Parse(text, FileName, defaultOrigin);

    private static ResourceRecord Single(string text, string? defaultOrigin = "example.com") =>
        Assert.Single(Parse(text, defaultOrigin).Records);

    private static ZoneFileException Failure(string text, string? defaultOrigin = "example.com") =>
        Assert.Throws<ZoneFileException>(() => Parse(text, defaultOrigin));

    private static void AssertFailure(string text, int line, string problem, string? defaultOrigin = "example.com")
    {
        var exception = Failure(text, defaultOrigin);
        Assert.Equal(problem, exception.Problem);
        Assert.Equal(line, exception.Line);
        Assert.Equal(FileName, exception.FileName);
        Assert.Equal($"{FileName}:{line}: {problem}", exception.Message);
    }

    // Directives

    [Fact]
    public void Origin_directive_with_an_absolute_name_sets_the_origin()
    {
        var content = Parse("$ORIGIN Example.NET.\nwww A 192.0.2.1\n", defaultOrigin: null);

        Assert.Equal("www.example.net", Assert.Single(content.Records).Name);
        Assert.Equal(["example.net"], content.Origins);
    }

    [Fact]
    public void Origin_directive_with_a_relative_name_is_taken_relative_to_the_current_origin()
    {
        var content = Parse("$ORIGIN example.\n$ORIGIN sub\nwww A 192.0.2.1\n", defaultOrigin: null);

        Assert.Equal("www.sub.example", Assert.Single(content.Records).Name);
        Assert.Equal(["example", "sub.example"], content.Origins);
    }

    [Fact]
    public void Origin_directive_may_name_the_root()
    {
        var content = Parse("$ORIGIN .\ncom NS a.gtld-servers.net.\n", defaultOrigin: null);

        Assert.Equal("com", Assert.Single(content.Records).Name);
        Assert.Equal([""], content.Origins);
    }

    [Fact]
    public void Relative_origin_without_a_current_origin_is_an_error() =>
        AssertFailure("$ORIGIN sub\n", 1, "relative name 'sub' but no $ORIGIN is set", defaultOrigin: null);

    [Fact]
    public void Origin_directive_needs_exactly_one_name()
    {
        AssertFailure("\n$ORIGIN\n", 2, "$ORIGIN needs a domain name");
        AssertFailure("$ORIGIN a. b.\n", 1, "$ORIGIN: unexpected 'b.' after a domain name");
    }

    [Fact]
    public void Ttl_directive_sets_the_default_ttl()
    {
        var records = Parse("$TTL 1h\na A 192.0.2.1\nb 60 A 192.0.2.2\nc A 192.0.2.3\n$TTL 300\nd A 192.0.2.4\n").Records;

        Assert.Equal([3600, 60, 3600, 300], records.Select(r => r.TimeToLive.TotalSeconds));
    }

    [Fact]
    public void Ttl_directive_needs_exactly_one_ttl()
    {
        AssertFailure("$TTL\n", 1, "$TTL needs a TTL");
        AssertFailure("$TTL 1 2\n", 1, "$TTL: unexpected '2' after a TTL");
    }

    [Fact]
    public void Include_directive_is_refused() =>
        AssertFailure("www A 192.0.2.1\n$INCLUDE other.zone\n", 2, "$INCLUDE is not supported; load each zone file on its own");

    [Fact]
    public void Unknown_directive_is_an_error() =>
        AssertFailure("$GENERATE 1-10 host$ A 192.0.2.$\n", 1, "unknown directive '$GENERATE'; expected $ORIGIN or $TTL");

    [Fact]
    public void Directives_are_case_insensitive()
    {
        var record = Single("$origin example.org.\n$ttl 2m\nwww A 192.0.2.1\n");

        Assert.Equal("www.example.org", record.Name);
        Assert.Equal(TimeSpan.FromMinutes(2), record.TimeToLive);
    }

    // Owner names

    [Fact]
    public void At_sign_is_the_origin()
    {
        Assert.Equal("example.com", Single("@ A 192.0.2.1\n").Name);
    }

    [Fact]
    public void At_sign_without_an_origin_is_an_error() =>
        AssertFailure("@ A 192.0.2.1\n", 1, "'@' stands for the origin, but no $ORIGIN is set", defaultOrigin: null);

    [Fact]
    public void Relative_owner_gets_the_origin_appended()
    {
        Assert.Equal("mail.example.com", Single("mail A 192.0.2.1\n").Name);
    }

    [Fact]
    public void Relative_owner_without_an_origin_is_an_error() =>
        AssertFailure("; header\nwww A 192.0.2.1\n", 2, "relative name 'www' but no $ORIGIN is set", defaultOrigin: null);

    [Fact]
    public void Absolute_owner_keeps_its_name_without_the_trailing_dot()
    {
        Assert.Equal("host.example.org", Single("host.example.org. A 192.0.2.1\n").Name);
    }

    [Fact]
    public void Root_owner_is_the_empty_name()
    {
        Assert.Equal(string.Empty, Single(". NS a.root-servers.net.\n").Name);
    }

    [Fact]
    public void Owner_left_blank_repeats_the_previous_owner()
    {
        var records = Parse("www A 192.0.2.1\n     AAAA 2001:db8::1\n\t TXT \"x\"\nmail A 192.0.2.2\n MX 10 mail\n").Records;

        Assert.Equal(
            ["www.example.com", "www.example.com", "www.example.com", "mail.example.com", "mail.example.com"],
            records.Select(r => r.Name));
    }

    [Fact]
    public void Owner_left_blank_survives_an_origin_change()
    {
        var records = Parse("www A 192.0.2.1\n$ORIGIN example.net.\n A 192.0.2.2\n").Records;

        Assert.Equal("www.example.com", records[1].Name);
    }

    [Fact]
    public void Owner_left_blank_with_no_previous_owner_is_an_error() =>
        AssertFailure("$TTL 60\n  A 192.0.2.1\n", 2, "the line starts with a blank, which repeats the previous owner name, but there is none yet");

    [Fact]
    public void Blank_line_and_indented_comment_do_not_end_the_owner()
    {
        var records = Parse("www A 192.0.2.1\n\n   ; a comment\n   A 192.0.2.2\n").Records;

        Assert.Equal("www.example.com", records[1].Name);
    }

    [Fact]
    public void Wildcard_label_is_kept_as_written()
    {
        Assert.Equal("*.example.com", Single("* TXT \"w\"\n").Name);
        Assert.Equal("*.sub.example.com", Single("*.sub MX 0 .\n").Name);
    }

    [Fact]
    public void Names_are_lower_cased_in_ascii_only()
    {
        // RFC 4343 §3: DNS compares ASCII letters without case; other characters are left alone.
        Assert.Equal("mail.example.com", Single("MAIL.Example.COM. A 192.0.2.1\n").Name);
        Assert.Equal("Äbc.example.com", Single("ÄBC A 192.0.2.1\n").Name);
    }

    [Fact]
    public void Quoted_owner_name_is_an_error() =>
        AssertFailure("\"www\" A 192.0.2.1\n", 1, "expected a domain name, found the quoted string \"www\"");

    [Fact]
    public void Label_longer_than_63_octets_is_an_error()
    {
        var label = new string('a', 64);
        AssertFailure($"{label} A 192.0.2.1\n", 1, $"label longer than 63 characters in '{label}'");
        Assert.Equal(new string('a', 63) + ".example.com", Single(new string('a', 63) + " A 192.0.2.1\n").Name);
    }

    [Fact]
    public void Empty_label_is_an_error()
    {
        AssertFailure("a..b A 192.0.2.1\n", 1, "empty label in 'a..b'");
        AssertFailure(".a A 192.0.2.1\n", 1, "empty label in '.a'");
    }

    [Fact]
    public void Name_longer_than_253_octets_is_an_error()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4));
        var problem = Failure($"{name}. A 192.0.2.1\n").Problem;

        Assert.Equal($"name '{name}' is 255 octets long; at most 253 are allowed", problem);
    }

    [Fact]
    public void Name_of_253_octets_is_accepted()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', 61);

        Assert.Equal(name, Single($"{name}. A 192.0.2.1\n").Name);
    }

    [Fact]
    public void Escapes_in_names_are_decoded()
    {
        // \065 is "A", lower-cased like any letter; "\-" is a plain hyphen.
        Assert.Equal("ab-c.example.com", Single("\\065b\\-c A 192.0.2.1\n").Name);
    }

    [Fact]
    public void Escaped_dot_stays_inside_its_label()
    {
        var record = Single("@ SOA ns1 john\\.doe 1 2 3 4 5\n");
        var soa = Assert.IsType<SoaRecord>(record.Data);

        Assert.Equal("john\\.doe.example.com", soa.Mailbox);
        Assert.Equal("a\\.b.example.com", Single("a\\046b A 192.0.2.1\n").Name);
    }

    [Fact]
    public void Name_ending_in_an_escaped_dot_is_an_error()
    {
        AssertFailure("foo\\.. A 192.0.2.1\n", 1, "name 'foo\\..' ends in an escaped '.', which is not supported");
        Assert.Equal("foo\\..example.com", Single("foo\\. A 192.0.2.1\n").Name);
    }

    // TTL and class

    [Theory]
    [InlineData("0", 0)]
    [InlineData("86400", 86400)]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h", 3600)]
    [InlineData("1d", 86400)]
    [InlineData("1w", 604800)]
    [InlineData("2h30m", 9000)]
    [InlineData("1W2D3H4M5S", 788645)]
    [InlineData("2147483647", 2147483647)]
    public void Ttl_accepts_seconds_and_bind_units(string ttl, long seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Single($"www {ttl} A 192.0.2.1\n").TimeToLive);
        Assert.Equal(TimeSpan.FromSeconds(seconds), Single($"$TTL {ttl}\nwww A 192.0.2.1\n").TimeToLive);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1x")]
    [InlineData("h")]
    [InlineData("1h30")]
    [InlineData("-1")]
    [InlineData("1.5h")]
    public void Ttl_that_is_not_a_duration_is_an_error(string ttl) =>
        AssertFailure($"$TTL {ttl}\n", 1, $"TTL '{ttl}' is not a number or a BIND duration");

    [Fact]
    public void Ttl_in_a_record_that_is_not_a_duration_is_an_error() =>
        AssertFailure("www 1y A 192.0.2.1\n", 1, "TTL '1y' is not a number or a BIND duration");

    [Fact]
    public void Ttl_above_2147483647_is_an_error()
    {
        AssertFailure("$TTL 2147483648\n", 1, "TTL '2147483648' is larger than 2147483647 seconds (RFC 2181 §8)");
        AssertFailure("$TTL 99999999999999999999w\n", 1, "TTL '99999999999999999999w' is larger than 2147483647 seconds (RFC 2181 §8)");
    }

    [Theory]
    [InlineData("www 300 IN A 192.0.2.1", 300)]
    [InlineData("www IN 300 A 192.0.2.1", 300)]
    [InlineData("www in 300 a 192.0.2.1", 300)]
    [InlineData("www 300 A 192.0.2.1", 300)]
    [InlineData("www IN A 192.0.2.1", 3600)]
    [InlineData("www A 192.0.2.1", 3600)]
    public void Ttl_and_class_are_optional_and_in_either_order(string line, int ttl)
    {
        var record = Single(line + "\n");

        Assert.Equal("www.example.com", record.Name);
        Assert.Equal(DnsRecordType.A, record.Type);
        Assert.Equal(TimeSpan.FromSeconds(ttl), record.TimeToLive);
    }

    [Fact]
    public void Ttl_defaults_to_the_previous_records_ttl_without_a_ttl_directive()
    {
        var records = Parse("a 120 A 192.0.2.1\nb A 192.0.2.2\nc 60 A 192.0.2.3\nd A 192.0.2.4\n").Records;

        Assert.Equal([120, 120, 60, 60], records.Select(r => r.TimeToLive.TotalSeconds));
    }

    [Fact]
    public void Ttl_of_a_leading_soa_without_one_is_its_minimum_and_later_records_follow_it()
    {
        var records = Parse("@ SOA ns1 hostmaster 1 2h 15m 1w 10m\nwww A 192.0.2.1\n").Records;

        Assert.Equal([600, 600], records.Select(r => r.TimeToLive.TotalSeconds));
    }

    [Fact]
    public void Ttl_defaults_to_3600_seconds()
    {
        Assert.Equal(TimeSpan.FromHours(1), Single("www A 192.0.2.1\n").TimeToLive);
    }

    [Fact]
    public void Ttl_directive_wins_over_the_previous_record()
    {
        var records = Parse("a 120 A 192.0.2.1\n$TTL 30\nb A 192.0.2.2\n").Records;

        Assert.Equal(TimeSpan.FromSeconds(30), records[1].TimeToLive);
    }

    [Theory]
    [InlineData("CH")]
    [InlineData("HS")]
    [InlineData("CS")]
    [InlineData("CLASS3")]
    public void Class_other_than_in_is_an_error(string recordClass) =>
        AssertFailure($"www {recordClass} TXT \"x\"\n", 1, $"class '{recordClass}' is not supported; only IN");

    [Fact]
    public void Second_class_or_ttl_is_an_error()
    {
        AssertFailure("www IN 60 IN A 192.0.2.1\n", 1, "a second class 'IN'; expected a TTL or a record type");
        AssertFailure("www 60 IN 60 A 192.0.2.1\n", 1, "a second TTL '60'; expected a class or a record type");
    }

    [Fact]
    public void Missing_record_type_is_an_error()
    {
        AssertFailure("www 60 IN\n", 1, "missing record type after 'IN'");
        AssertFailure("www\n", 1, "missing record type after 'www'");
    }

    [Fact]
    public void Unknown_record_type_is_an_error() =>
        AssertFailure("www FOO bar\n", 1, "unknown record type 'FOO'; expected A, AAAA, APL, CNAME, MX, NS, PTR, SOA, SPF or TXT");

    // Layout: parentheses, comments, line ends

    [Fact]
    public void Parentheses_continue_a_record_over_lines()
    {
        const string text = """
            @ 3600 IN SOA ns1.example.com. hostmaster.example.com. (
                    2024010101 ; serial
                    2h         ; refresh
                    15m        ; retry
                    1w         ; expire
                    5m )       ; minimum
            www A 192.0.2.1
            """;
        var records = Parse(text).Records;
        var soa = Assert.IsType<SoaRecord>(records[0].Data);

        Assert.Equal(new SoaRecord("ns1.example.com", "hostmaster.example.com", 2024010101, TimeSpan.FromMinutes(5)), soa);
        Assert.Equal("www.example.com", records[1].Name);
        Assert.Equal(2, records.Count);
    }

    [Fact]
    public void Parentheses_may_be_nested_and_split_a_txt_record()
    {
        var record = Single("www TXT ( \"a\"\n  (\"b\") ; note\n  \"c\" )\n");

        Assert.Equal(["a", "b", "c"], Assert.IsType<TxtRecord>(record.Data).Strings);
    }

    [Fact]
    public void Closing_parenthesis_without_an_opening_one_is_an_error() =>
        AssertFailure("www A 192.0.2.1\nmail A 192.0.2.2 )\n", 2, "unbalanced ')'");

    [Fact]
    public void Opening_parenthesis_never_closed_is_an_error_on_its_line() =>
        AssertFailure("www A 192.0.2.1\n@ SOA ns1 host (\n 1 2 3 4 5\nmail A 192.0.2.2\n", 2, "unbalanced '(': no ')' before the end of the file");

    [Fact]
    public void Comments_are_ignored_outside_quotes()
    {
        var content = Parse("; whole line\nwww A 192.0.2.1 ; trailing\n;www A 192.0.2.2\n");

        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.Single(content.Records).Data);
    }

    [Fact]
    public void Semicolon_inside_quotes_or_escaped_is_text()
    {
        var record = Single("www TXT \"a;b\" c\\;d ; comment\n");

        Assert.Equal(["a;b", "c;d"], Assert.IsType<TxtRecord>(record.Data).Strings);
    }

    [Fact]
    public void Crlf_line_ends_and_a_byte_order_mark_are_accepted()
    {
        var records = Parse("\uFEFFwww A 192.0.2.1\r\n  TXT \"x\"\r\nmail A 192.0.2.2\r\n").Records;

        Assert.Equal(["www.example.com", "www.example.com", "mail.example.com"], records.Select(r => r.Name));
        Assert.Equal(["x"], Assert.IsType<TxtRecord>(records[1].Data).Strings);
    }

    [Fact]
    public void Empty_text_has_no_records()
    {
        var content = Parse("; nothing here\n\n   \n", defaultOrigin: null);

        Assert.Empty(content.Records);
        Assert.Empty(content.Origins);
    }

    [Fact]
    public void Error_line_is_the_line_of_the_bad_field_in_a_multi_line_record() =>
        AssertFailure("www A 192.0.2.1\n@ SOA ns1 host (\n 1\n 2h\n 15x\n 1w 5m )\n", 5, "SOA record: retry '15x' is not a number or a BIND duration");

    [Fact]
    public void Missing_field_is_reported_on_the_line_where_the_record_ends() =>
        AssertFailure("@ SOA ns1 host (\n 1 2 3\n 4 )\n", 3, "SOA record: missing the minimum TTL after '4'");

    // Quoted strings and escapes

    [Fact]
    public void Unterminated_quoted_string_is_an_error_on_its_line()
    {
        AssertFailure("www A 192.0.2.1\nwww TXT \"v=spf1 -all\n", 2, "unterminated quoted string");
        AssertFailure("www TXT (\"abc\n\")\n", 1, "unterminated quoted string");
    }

    [Fact]
    public void Quoted_string_escapes_are_decoded()
    {
        var record = Single("www TXT \"say \\\"hi\\\" \\\\ \\059 \\a\"\n");

        Assert.Equal(["say \"hi\" \\ ; a"], Assert.IsType<TxtRecord>(record.Data).Strings);
    }

    [Fact]
    public void Decimal_escapes_are_octets_read_as_utf8()
    {
        var record = Single("www TXT \"caf\\195\\169\" \"bad\\255x\" caf\\195\\169\n");

        Assert.Equal(["café", "bad\uFFFDx", "café"], Assert.IsType<TxtRecord>(record.Data).Strings);
    }

    [Fact]
    public void Text_outside_ascii_is_kept()
    {
        var record = Single("www TXT \"grüße 😀\"\n");

        Assert.Equal(["grüße 😀"], Assert.IsType<TxtRecord>(record.Data).Strings);
    }

    [Fact]
    public void Escaped_blank_and_quote_stay_inside_an_unquoted_field()
    {
        var record = Single("www TXT a\\ b\\\"c\n");

        Assert.Equal(["a b\"c"], Assert.IsType<TxtRecord>(record.Data).Strings);
    }

    [Fact]
    public void Decimal_escape_needs_three_digits() =>
        AssertFailure("www TXT \"a\\12b\"\n", 1, "escape '\\12b' needs three decimal digits (\\DDD)");

    [Fact]
    public void Decimal_escape_above_255_is_an_error() =>
        AssertFailure("www\\256 A 192.0.2.1\n", 1, "escape '\\256' is not an octet; expected \\000 to \\255");

    [Fact]
    public void Backslash_at_the_end_of_a_line_is_an_error() =>
        AssertFailure("www A 192.0.2.1\nwww TXT abc\\\n", 2, "'\\' at the end of a line; expected a character or three digits after it");

    // Record data

    [Fact]
    public void A_record_holds_an_ipv4_address()
    {
        var record = Single("www 60 IN A 198.51.100.7\n");

        Assert.Equal(new ResourceRecord("www.example.com", DnsRecordType.A, TimeSpan.FromSeconds(60), IPAddress.Parse("198.51.100.7")), record);
    }

    [Theory]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("01.2.3.4")]
    [InlineData("1..2.3")]
    [InlineData("a.b.c.d")]
    [InlineData("1.2.3.4/24")]
    [InlineData("2001:db8::1")]
    [InlineData("\"1.2.3.4\"")]
    public void A_record_with_anything_but_a_dotted_quad_is_an_error(string address) =>
        AssertFailure($"www A {address}\n", 1, $"A record: '{address}' is not an IPv4 address");

    [Fact]
    public void A_record_with_a_second_address_is_an_error() =>
        AssertFailure("www A 192.0.2.1 192.0.2.2\n", 1, "A record: unexpected '192.0.2.2' after the record data");

    [Fact]
    public void A_record_without_an_address_is_an_error() =>
        AssertFailure("www A\n", 1, "A record: missing an IPv4 address after 'A'");

    [Theory]
    [InlineData("2001:db8::1")]
    [InlineData("2001:DB8:0:0:0:0:0:1")]
    [InlineData("::ffff:192.0.2.1")]
    [InlineData("::")]
    public void Aaaa_record_holds_an_ipv6_address(string address)
    {
        var record = Single($"www AAAA {address}\n");

        Assert.Equal(IPAddress.Parse(address), record.Data);
        Assert.Equal(DnsRecordType.AAAA, record.Type);
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::g")]
    [InlineData("2001:db8:::1")]
    [InlineData("[2001:db8::1]")]
    [InlineData("fe80::1%eth0")]
    public void Aaaa_record_with_anything_but_an_ipv6_address_is_an_error(string address) =>
        AssertFailure($"www AAAA {address}\n", 1, $"AAAA record: '{address}' is not an IPv6 address");

    [Fact]
    public void Mx_record_holds_preference_and_exchange()
    {
        var records = Parse("@ MX 10 mail\n@ MX 20 Backup.Example.NET.\nnull MX 0 .\n").Records;

        Assert.Equal(
            [new MxRecord(10, "mail.example.com"), new MxRecord(20, "backup.example.net"), new MxRecord(0, string.Empty)],
            records.Select(r => r.Data));
    }

    [Theory]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("ten")]
    public void Mx_record_with_a_bad_preference_is_an_error(string preference) =>
        AssertFailure($"@ MX {preference} mail\n", 1, $"MX record: preference '{preference}' is not a number from 0 to 65535");

    [Fact]
    public void Mx_record_without_an_exchange_is_an_error() =>
        AssertFailure("@ MX 10\n", 1, "MX record: missing an exchange host name after '10'");

    [Fact]
    public void Txt_record_keeps_each_character_string_apart()
    {
        var record = Single("@ TXT \"v=spf1 ip4:192.0.2.0/24 \" \"include:_spf.example.net\" \" -all\" bare\n");
        var txt = Assert.IsType<TxtRecord>(record.Data);

        Assert.Equal(["v=spf1 ip4:192.0.2.0/24 ", "include:_spf.example.net", " -all", "bare"], txt.Strings);
        Assert.Equal("v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -allbare", txt.Text);
    }

    [Fact]
    public void Txt_record_may_hold_an_empty_string()
    {
        Assert.Equal([string.Empty], Assert.IsType<TxtRecord>(Single("@ TXT \"\"\n").Data).Strings);
    }

    [Fact]
    public void Txt_record_without_a_string_is_an_error() =>
        AssertFailure("@ 60 TXT ; nothing\n", 1, "TXT record: missing a character-string after 'TXT'");

    [Fact]
    public void Character_string_of_255_octets_is_accepted_and_256_is_an_error()
    {
        var fits = new string('x', 255);
        Assert.Equal([fits], Assert.IsType<TxtRecord>(Single($"@ TXT \"{fits}\"\n").Data).Strings);

        AssertFailure($"@ TXT ( \"ok\"\n \"{fits}x\" )\n", 2, "TXT record: character-string of 256 octets is longer than 255");
    }

    [Fact]
    public void Character_string_length_counts_utf8_octets_and_escapes_once()
    {
        // 128 × "é" is 128 characters but 256 octets.
        AssertFailure($"@ TXT \"{new string('é', 128)}\"\n", 1, "TXT record: character-string of 256 octets is longer than 255");

        var escaped = string.Concat(Enumerable.Repeat("\\065", 255));
        Assert.Equal([new string('A', 255)], Assert.IsType<TxtRecord>(Single($"@ TXT \"{escaped}\"\n").Data).Strings);
    }

    [Fact]
    public void Spf_record_holds_strings_like_txt()
    {
        var record = Single("@ SPF \"v=spf1\" \" -all\"\n");

        Assert.Equal(DnsRecordType.SPF, record.Type);
        Assert.Equal(["v=spf1", " -all"], Assert.IsType<TxtRecord>(record.Data).Strings);
    }

    [Theory]
    [InlineData("PTR", DnsRecordType.PTR)]
    [InlineData("CNAME", DnsRecordType.CNAME)]
    [InlineData("NS", DnsRecordType.NS)]
    public void Name_records_hold_a_normalized_absolute_name(string type, DnsRecordType expected)
    {
        var records = Parse($"a {type} Target\nb {type} Other.Example.NET.\nc {type} @\n").Records;

        Assert.All(records, r => Assert.Equal(expected, r.Type));
        Assert.Equal(["target.example.com", "other.example.net", "example.com"], records.Select(r => r.Data));
    }

    [Fact]
    public void Name_record_with_a_quoted_target_is_an_error() =>
        AssertFailure("a CNAME \"b\"\n", 1, "expected a domain name, found the quoted string \"b\"");

    [Fact]
    public void Soa_record_times_use_ttl_syntax()
    {
        var record = Single("@ 1d SOA ns1 hostmaster.example.com. 4294967295 3600 900 604800 1h30m\n");

        Assert.Equal(new SoaRecord("ns1.example.com", "hostmaster.example.com", uint.MaxValue, TimeSpan.FromMinutes(90)), record.Data);
        Assert.Equal(TimeSpan.FromDays(1), record.TimeToLive);
    }

    [Fact]
    public void Soa_record_with_a_bad_serial_is_an_error() =>
        AssertFailure("@ SOA ns1 host 4294967296 1 2 3 4\n", 1, "SOA record: serial '4294967296' is not a number from 0 to 4294967295");

    [Fact]
    public void Soa_record_with_an_extra_field_is_an_error() =>
        AssertFailure("@ SOA ns1 host 1 2 3 4 5 6\n", 1, "SOA record: unexpected '6' after the record data");

    // Origins

    [Fact]
    public void Origins_are_the_default_origin_each_origin_directive_and_each_soa_owner_without_repeats()
    {
        const string text = """
            @ SOA ns1 host 1 2 3 4 5
            $ORIGIN example.org.
            @ SOA ns1 host 1 2 3 4 5
            sub SOA ns1 host 1 2 3 4 5
            $ORIGIN EXAMPLE.com.
            """;

        Assert.Equal(["example.com", "example.org", "sub.example.org"], Parse(text, "Example.COM.").Origins);
    }

    [Fact]
    public void Default_origin_may_be_the_root()
    {
        var content = Parse("com NS a.gtld-servers.net.\n", ".");

        Assert.Equal("com", Assert.Single(content.Records).Name);
        Assert.Equal([""], content.Origins);
    }

    // The benchmark corpus

    [Fact]
    public void Bench_corpus_zone_files_parse_without_error()
    {
        var corpus = FindBenchCorpus();
        var origins = File.ReadAllLines(Path.Combine(corpus, "zones.txt"))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 2)
            .ToDictionary(fields => fields[1], fields => DnsName.Normalize(fields[0]));
        var names = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (file, origin) in origins)
        {
            var path = Path.Combine(corpus, file);
            var content = ZoneFileParser.Parse(File.ReadAllText(path), path, defaultOrigin: null);

            Assert.NotEmpty(content.Records);
            Assert.Contains(origin, content.Origins);
            Assert.All(content.Records, r => Assert.True(DnsName.IsSubdomainOrSelf(r.Name, origin), $"{r.Name} is outside {origin}"));
            names.UnionWith(content.Records.Select(r => r.Name));
        }

        Assert.Equal(Directory.GetFiles(Path.Combine(corpus, "zones"), "*.zone").Length, origins.Count);
        Assert.True(names.Count >= 30_000, $"{names.Count} owner names");
    }

    private static string FindBenchCorpus()
    {
        var looked = new List<string>();
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "bench-corpus");
            looked.Add(candidate);
            if (Directory.Exists(Path.Combine(candidate, "zones")))
            {
                return candidate;
            }
        }

        Assert.Fail("The bench corpus (shared/bench-corpus/zones, beside the repository) was not found. Looked in:\n" + string.Join('\n', looked));
        return string.Empty;
    }
}
