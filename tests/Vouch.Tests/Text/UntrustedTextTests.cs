using CsCheck;
using Vouch.Text;

namespace Vouch.Tests.Text;

public sealed class UntrustedTextTests
{
    private static readonly Gen<string> Hostile =
        Gen.Char["ab .\"\\()\r\n\t\0\u001b\u007f\u0085\u00e9\u2028=;"].Array[0, 400].Select(chars => new string(chars));

    [Fact]
    public void ALineIsPrintableAsciiOfBoundedLengthTrimmedWithControlsAsSpaces()
    {
        Assert.Equal("250 ok  done", UntrustedText.Line(" 250 ok\r\ndone\u001b", 100));
        Assert.Equal("abc", UntrustedText.Line("abcdef", 3));
        Hostile.Sample(text =>
        {
            var line = UntrustedText.Line(text, 50);
            Assert.True(line.Length <= 50);
            Assert.All(line, c => Assert.InRange(c, ' ', '~'));
            Assert.Equal(line.Trim(), line);
        });
    }

    [Fact]
    public void AppendedCommentsAreTheCommentsOfTheText() =>
        Hostile.Sample(text =>
        {
            var appended = new System.Text.StringBuilder("x");
            UntrustedText.AppendComment(appended, text);
            Assert.Equal("x" + UntrustedText.Comment(text), appended.ToString());
        });

    [Fact]
    public void CleanTextIsReturnedAsItIs()
    {
        const string clean = "mail.example.com";
        Assert.Same(clean, UntrustedText.Line(clean, 100));
        Assert.Same(clean, UntrustedText.LogField(clean));
        Assert.Same(clean, UntrustedText.Comment(clean));
        Assert.Same(clean, UntrustedText.Visible(clean));
    }

    [Fact]
    public void WithoutControlsKeepsOtherCharactersAndIsNullWhenNothingIsLeft()
    {
        Assert.Equal("listed: caf\u00e9  spam", UntrustedText.WithoutControls("listed: caf\u00e9\r\nspam", 512));
        Assert.Null(UntrustedText.WithoutControls("\r\n\t ", 512));
        Assert.Equal("ab", UntrustedText.WithoutControls("abc", 2));
    }

    [Fact]
    public void AQuotedStringEscapesQuotesAndBackslashesAndNothingEndsItEarly()
    {
        Assert.Equal("\"a\\\"b\\\\c\"", UntrustedText.Quote("a\"b\\c\r\n"));
        Hostile.Sample(text =>
        {
            var quoted = UntrustedText.Quote(text);
            Assert.StartsWith("\"", quoted, StringComparison.Ordinal);
            Assert.EndsWith("\"", quoted, StringComparison.Ordinal);
            var inner = quoted[1..^1];
            for (var i = 0; i < inner.Length; i++)
            {
                Assert.InRange(inner[i], ' ', '~');
                if (inner[i] == '\\')
                {
                    Assert.True(++i < inner.Length && inner[i] is '"' or '\\');
                }
                else
                {
                    Assert.NotEqual('"', inner[i]);
                }
            }
        });
    }

    [Fact]
    public void CommentsAndTokensCannotCloseOrEscapeTheirPlace()
    {
        Assert.Equal("evil x=y", UntrustedText.Comment("evil\\) x=(y"));
        Assert.Equal("mx.examplespfpass", UntrustedText.Token("mx.example; spf=pass"));
    }

    [Fact]
    public void LogFieldsStayOneParseableFieldAndLogTextOneLine()
    {
        Assert.Equal("a=bc", UntrustedText.LogField("a=b c\""));
        Assert.Equal("a=b c", UntrustedText.LogQuoted("a=b c\"\n"));
        Assert.Equal("say \"hi\"", UntrustedText.LogText("say \"hi\"\r\n"));
        Hostile.Sample(text =>
        {
            var field = UntrustedText.LogField(text);
            Assert.True(field.Length <= 300);
            Assert.DoesNotContain(field, c => c is ' ' or '"' or < ' ' or > '~');
            Assert.DoesNotContain(UntrustedText.LogQuoted(text), c => c is '"' or < ' ' or > '~');
            Assert.DoesNotContain(UntrustedText.LogText(text), c => c is < ' ' or > '~');
        });
    }

    [Fact]
    public void AnExcerptShowsWhereUnprintableCharactersWere()
    {
        Assert.Equal("a?b", UntrustedText.Excerpt("a\nbcd", 3));
    }

    [Fact]
    public void VisibleTextShowsControlsAsEscapesAndKeepsEverythingElse()
    {
        Assert.Equal("a\\x1b[31mb\\x0d\\x0a caf\u00e9", UntrustedText.Visible("a\u001b[31mb\r\n caf\u00e9"));
        Assert.Equal("\\x85\\x7f", UntrustedText.Visible("\u0085\u007f"));
    }
}
