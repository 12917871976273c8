using System.CommandLine;
using System.Globalization;
using System.Text;

namespace Vouch.Cli;

/// <summary>
/// A roff man page (man(7)) made from a command's own help: its description, its subcommands and its
/// options with their descriptions, so the installed pages say what <c>--help</c> says.
/// </summary>
internal static class ManPage
{
    /// <summary>The page of <paramref name="command"/>, named <paramref name="name"/> (e.g. "vouch-check").</summary>
    /// <param name="command">The command.</param>
    /// <param name="name">The page's name: the program, or the program and the subcommand joined by '-'.</param>
    /// <param name="invocation">How it is typed (e.g. "vouch check").</param>
    /// <param name="version">The package version, for the footer.</param>
    /// <param name="date">The footer's date (the build's, so that the page is reproducible).</param>
    public static string Render(Command command, string name, string invocation, string version, DateOnly date)
    {
        var page = new StringBuilder();
        page.Append(CultureInfo.InvariantCulture, $".TH {Escape(name.ToUpperInvariant())} 1 \"{date:yyyy-MM-dd}\" \"vouch {Escape(version)}\" \"Vouch\"\n");
        page.Append(".SH NAME\n").Append(Escape(name)).Append(" \\- ").Append(Escape(FirstSentence(command.Description ?? ""))).Append('\n');
        page.Append(".SH SYNOPSIS\n.B ").Append(Escape(invocation)).Append('\n');
        var subcommands = command.Subcommands.Where(sub => !sub.Hidden).ToList();
        page.Append(subcommands.Count > 0 ? "\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n" : "[\\fIOPTIONS\\fR]\n");
        page.Append(".SH DESCRIPTION\n").Append(Escape(command.Description ?? "")).Append('\n');
        if (subcommands.Count > 0)
        {
            page.Append(".SH COMMANDS\n");
            foreach (var sub in subcommands)
            {
                page.Append(".TP\n.B ").Append(Escape(sub.Name)).Append('\n').Append(Escape(sub.Description ?? "")).Append(CultureInfo.InvariantCulture, $" See \\fB{Escape(name)}\\-{Escape(sub.Name)}\\fR(1).\n");
            }
        }

        var options = command.Options.Where(option => !option.Hidden).ToList();
        if (options.Count > 0)
        {
            page.Append(".SH OPTIONS\n");
            foreach (var option in options)
            {
                var names = string.Join(", ", new[] { option.Name }.Concat(option.Aliases.Order(StringComparer.Ordinal)).Select(alias => $"\\fB{Escape(alias)}\\fR"));
                var value = option.HelpName is { } help ? $" \\fI{Escape(help)}\\fR" : option.ValueType == typeof(bool) ? "" : " \\fIVALUE\\fR";
                page.Append(".TP\n").Append(names).Append(value).Append('\n').Append(Escape(option.Description ?? "")).Append('\n');
            }
        }

        page.Append(".SH FILES\n.TP\n.I /etc/vouch/vouch.toml\nThe configuration (monitor mode as installed); see /usr/share/doc/vouch.\n");
        page.Append(".SH EXIT STATUS\n0 on success; 2 for a usage error (an option, a configuration or zone file that cannot be used).\n");
        page.Append(".SH SEE ALSO\n");
        page.Append(name == "vouch" ? string.Join(", ", subcommands.Select(sub => $"\\fBvouch\\-{Escape(sub.Name)}\\fR(1)")) + ", " : "\\fBvouch\\fR(1), ");
        page.Append("\\fBpostconf\\fR(5)\n");
        return page.ToString();
    }

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? text : text[..end]).TrimEnd('.');
    }

    /// <summary>Text safe in a roff line: backslashes doubled, hyphens as \-, and a leading '.' or '\'' escaped.</summary>
    private static string Escape(string text)
    {
        var escaped = text.Replace("\\", "\\e", StringComparison.Ordinal).Replace("-", "\\-", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        return escaped.StartsWith('.') || escaped.StartsWith('\'') ? "\\&" + escaped : escaped;
    }
}
