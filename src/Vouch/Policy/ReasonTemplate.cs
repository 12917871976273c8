using System.Collections.Frozen;
using System.Text;
using Vouch.Spf;

namespace Vouch.Policy;

/// <summary>
/// The reason of a decision row: text with placeholders such as <c>{ip}</c>, each filled from the evidence. The one
/// list of placeholders: the configuration checks a reason against it, and the policy fills from it.
/// </summary>
public static class ReasonTemplate
{
    /// <summary>Each placeholder and how the evidence fills it, in the order the documentation lists them.</summary>
    private static readonly (string Name, Func<Evidence, string> Value)[] Fillers =
    [
        ("ip", e => e.Request.Client.ToString()),
        ("helo", e => e.Request.Helo.Text),
        ("helo_problem", e => e.Request.Helo.Problem ?? ""),
        ("sender", e => e.Request.Sender.IsNull ? "<>" : e.Request.Sender.Text),
        ("sender_problem", e => e.Request.Sender.Problem ?? ""),
        ("mailfrom_domain", e => e.MailFromSpf.Domain),
        ("spf_explanation", e => e.MailFromSpf.Explanation ?? e.MailFromSpf.Code.ToToken()),
        ("spf_domain", e => (e.MailFromSpf.Code == SpfResultCode.Pass ? e.MailFromSpf : e.HeloSpf).Domain),
        ("domain", e => e.Registration.Domain ?? ""),
        ("owner", e => e.Registration.Owner ?? ""),
        ("mx_host", e => e.Registration.MxHost ?? ""),
        ("via", e => e.Registration.Via is { } via ? Decision.Token(via) : ""),
        ("listed", e => (e.Blocked ?? e.Allowed) is { } listed ? $"{listed.Subject} ({listed.List}: {listed.Entry})" : ""),
        ("problem", e => PolicyEngine.TemporaryProblem(e) ?? e.MailFromSpf.Problem ?? e.Registration.Problem ?? ""),
        ("rmx_domain", e => e.Rmx.Domain),
        ("rmx_result", e => e.Rmx.Token),
        ("rmx_entry", e => e.Rmx.Entry ?? ""),
        ("own_mx_host", e => e.OwnMxHost ?? ""),
        ("trusted_network", e => e.TrustedNetwork ?? ""),
    ];

    private static readonly FrozenDictionary<string, Func<Evidence, string>>.AlternateLookup<ReadOnlySpan<char>> ByName =
        Fillers.ToFrozenDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The placeholder names, without braces, in the documentation's order.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = [.. Fillers.Select(f => f.Name)];

    /// <summary>
    /// Whether every <c>{name}</c> in <paramref name="text"/> is a placeholder, so that a typo does not reach
    /// clients as literal text; <paramref name="problem"/> says what is wrong and what was expected.
    /// </summary>
    public static bool IsValid(string text, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = "";
        if (text.Length == 0)
        {
            problem = "is empty; expected the text given to the client and logged";
            return false;
        }

        for (var open = text.IndexOf('{', StringComparison.Ordinal); open >= 0; open = text.IndexOf('{', open + 1))
        {
            var close = text.IndexOf('}', open + 1);
            if (close < 0 || !ByName.ContainsKey(text.AsSpan(open + 1, close - open - 1)))
            {
                problem = $"has {(close < 0 ? "a '{' without '}'" : $"the unknown placeholder {{{text[(open + 1)..close]}}}")}; expected placeholders are {string.Join(", ", Placeholders.Select(p => $"{{{p}}}"))}";
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Replaces the placeholders of <paramref name="template"/> in one pass; a value is computed only when its
    /// placeholder appears, and text a value brings in (a HELO name with braces) is never read as a placeholder.
    /// A brace that starts no placeholder is kept as it is.
    /// </summary>
    public static string Fill(string template, Evidence evidence)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(evidence);
        var open = template.IndexOf('{', StringComparison.Ordinal);
        if (open < 0)
        {
            return template;
        }

        var builder = new StringBuilder(template.Length + 64);
        var done = 0;
        while (open >= 0)
        {
            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                break;
            }

            if (!ByName.TryGetValue(template.AsSpan(open + 1, close - open - 1), out var value))
            {
                // Not a placeholder: keep the brace and look for the next one after it.
                open = template.IndexOf('{', open + 1);
                continue;
            }

            builder.Append(template, done, open - done).Append(value(evidence));
            done = close + 1;
            open = template.IndexOf('{', done);
        }

        return builder.Append(template, done, template.Length - done).ToString();
    }
}
