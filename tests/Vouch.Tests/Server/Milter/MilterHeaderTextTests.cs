using Vouch.Configuration;
using Vouch.Server.Milter;

namespace Vouch.Tests.Server.Milter;

/// <summary>Reading the authserv-id of Authentication-Results (RFC 8601 §2.2) as a forger might write it, and folding long values.</summary>
public sealed class MilterHeaderTextTests
{
    [Theory]
    [InlineData("mx.receiver.example; spf=pass smtp.mailfrom=a@example.com", "mx.receiver.example")]
    [InlineData("  MX.Receiver.Example.; none", "MX.Receiver.Example")]
    [InlineData("(a comment (nested)) mx.receiver.example 1; spf=pass", "mx.receiver.example")]
    [InlineData("\n\tmx.receiver.example;\n\tspf=pass", "mx.receiver.example")]
    [InlineData("\"mx.receiver.example\"; spf=pass", "mx.receiver.example")]
    [InlineData("mx.receiver.example(comment);spf=pass", "mx.receiver.example")]
    [InlineData("bücher.example; spf=pass", "bücher.example")]
    [InlineData("", null)]
    [InlineData("   (only a comment)", null)]
    [InlineData("; spf=pass", null)]
    public void TheAuthservIdIsReadPastWhiteSpaceAndComments(string value, string? expected) =>
        Assert.Equal(expected, MilterHeaderText.AuthservIdOf(value));

    [Fact]
    public void ALongValueIsFoldedWithABareLineFeedAndATabBeforeEveryLineWouldPass900Characters()
    {
        var value = string.Join(' ', Enumerable.Repeat("word;", 600));

        var folded = MilterHeaderText.Fold(value);

        Assert.DoesNotContain('\r', folded);
        Assert.All(folded.Split("\n\t"), line => Assert.InRange(line.Length, 1, 900));
        Assert.Equal(value, folded.Replace("\n\t", " ", StringComparison.Ordinal));
    }

    [Fact]
    public void AFieldIsSplitIntoItsNameAndItsValueWithoutTheSpaceTheMtaAdds() =>
        Assert.Equal(("Received-SPF", "pass (x)"), MilterHeaderText.Split("Received-SPF: pass (x)"));

    [Fact]
    public void TheMilterTableIsRead()
    {
        var milter = ConfigurationLoader.Parse("""
            [milter]
            listen = "inet:127.0.0.1:9901"
            decide_at = "eom"
            headers = ["authentication-results"]
            authserv_id = "mx.example.org"
            remove_forged_results = false
            progress_interval_seconds = 5
            """, "vouch.toml").Milter;

        Assert.Equal("127.0.0.1:9901", milter.Listen.ToString());
        Assert.Equal(MilterDecisionPoint.Eom, milter.DecideAt);
        Assert.Equal([TagHeader.AuthenticationResults], milter.Headers);
        Assert.Equal("mx.example.org", milter.AuthservId);
        Assert.False(milter.RemoveForgedResults);
        Assert.Equal(TimeSpan.FromSeconds(5), milter.ProgressInterval);
        Assert.Null(ConfigurationLoader.Parse("[milter]\nauthserv_id = \"\"\n", "vouch.toml").Milter.AuthservId);
    }

    [Theory]
    [InlineData("[milter]\nheaders = [\"received-spf\", \"none\"]\n", "'none' is not a header")]
    [InlineData("[milter]\ndecide_at = \"mail\"\n", "decide_at")]
    [InlineData("[milter]\nmax_packet_bytes = 100\n", "max_packet_bytes")]
    [InlineData("[milter]\nlisten = \"inet:nowhere\"\n", "listen")]
    public void AMistakeInTheMilterTableSaysWhatAndWhere(string text, string expected)
    {
        var exception = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Parse(text, "vouch.toml"));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Contains("vouch.toml", exception.Message, StringComparison.Ordinal);
    }
}
