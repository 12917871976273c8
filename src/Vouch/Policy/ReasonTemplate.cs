using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Vouch.Spf;

namespace Vouch.Policy;

/// <summary>
/// The reason of a decision row: text with placeholders such as <c>{ip}</c>, each filled from the evidence. The one
/// list of placeholders: the configuration checks a reason against it, and the policy fills from it.
/// </summary>
public static class ReasonTemplate
{
    /// <summary>
    /// Each placeholder, the pieces of evidence its value reads (beyond the request, and beyond the domain names a
    /// placeholder result carries as well as a gathered one), and how the evidence fills it, in the order the
    /// documentation lists them.
    /// </summary>
    private static readonly (string Name, EvidencePieces Needs, Func<Evidence, string> Value)[] Fillers =
    [
        ("ip", EvidencePieces.None, e => e.Request.Client.ToString()),
        ("helo", EvidencePieces.None, e => e.Request.Helo.Text),
        ("helo_problem", EvidencePieces.None, e => e.Request.Helo.Problem ?? ""),
        ("sender", EvidencePieces.None, e => e.Request.Sender.IsNull ? "<>" : e.Request.Sender.Text),
        ("sender_problem", EvidencePieces.None, e => e.Request.Sender.Problem ?? ""),
        ("mailfrom_domain", EvidencePieces.None, e => e.MailFromSpf.Domain),
        ("spf_explanation", EvidencePieces.MailFromSpf, e => e.MailFromSpf.Explanation ?? e.MailFromSpf.Code.ToToken()),
        ("spf_domain", EvidencePieces.MailFromSpf, e => (e.MailFromSpf.Code == SpfResultCode.Pass ? e.MailFromSpf : e.HeloSpf).Domain),
        ("domain", EvidencePieces.Registration, e => e.Registration.Domain ?? ""),
        ("owner", EvidencePieces.Registration, e => e.Registration.Owner ?? ""),
        ("mx_host", EvidencePieces.Registration, e => e.Registration.MxHost ?? ""),
        ("via", EvidencePieces.Registration, e => e.Registration.Via is { } via ? Decision.Token(via) : ""),
        ("listed", EvidencePieces.Lists, e => (e.Blocked ?? e.Allowed) is { } listed ? $"{listed.Subject} ({listed.List}: {listed.Entry})" : ""),
        ("problem", PolicyEngine.TemporaryProblemPieces, e => PolicyEngine.TemporaryProblem(e) ?? e.MailFromSpf.Problem ?? e.Registration.Problem ?? ""),
        ("rmx_domain", EvidencePieces.Rmx, e => e.Rmx.Domain),
        ("rmx_result", EvidencePieces.Rmx, e => e.Rmx.Token),
        ("rmx_entry", EvidencePieces.Rmx, e => e.Rmx.Entry ?? ""),
        ("reputation_owner", PolicyEngine.VouchingPieces, e => e.Reputation.Accountable),
        ("reputation_row", PolicyEngine.VouchingPieces, e => e.Reputation.Worst?.Key.ToString() ?? ""),
        ("reputation_why", PolicyEngine.VouchingPieces, Why),
        ("reputation_spam", PolicyEngine.VouchingPieces, e => Units(e.Reputation.Worst?.Counters.Spam ?? 0)),
        ("reputation_reporters", PolicyEngine.VouchingPieces, e => (e.Reputation.Worst?.Reporters ?? 0).ToString(CultureInfo.InvariantCulture)),
        ("reputation_window", EvidencePieces.None, e => Days(e.Reputation.HalfLife)),
        ("reputation_numbers", PolicyEngine.VouchingPieces, e => e.Reputation.Worst?.Numbers ?? ""),
        ("own_mx_host", EvidencePieces.None, e => e.OwnMxHost ?? ""),
        ("trusted_network", EvidencePieces.None, e => e.TrustedNetwork ?? ""),
    ];

    private static readonly FrozenDictionary<string, Func<Evidence, string>>.AlternateLookup<ReadOnlySpan<char>> ByName =
        Fillers.ToFrozenDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenDictionary<string, EvidencePieces>.AlternateLookup<ReadOnlySpan<char>> NeedsByName =
        Fillers.ToFrozenDictionary(f => f.Name, f => f.Needs, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    // Decay leaves 5.9999 units of six reports made a minute apart: "6" reads as what happened.
    private static string Units(double units)
    {
        var rounded = Math.Round(units, 1);
        return rounded.ToString(rounded == Math.Floor(rounded) ? "0" : "0.0", CultureInfo.InvariantCulture);
    }

    // A pinned row was set by a person: say so, with their reason, rather than counts that did not decide.
    private static string Why(Evidence evidence) => evidence.Reputation.Worst is { Pinned: true } pinned
        ? "pinned by an administrator: " + pinned.Reason
        : $"{Units(evidence.Reputation.Worst?.Counters.Spam ?? 0)} spam reports from {(evidence.Reputation.Worst?.Reporters ?? 0).ToString(CultureInfo.InvariantCulture)} recipients in {Days(evidence.Reputation.HalfLife)}";

    private static string Days(TimeSpan span) => span.TotalDays == 1 ? "1 day" : span.TotalDays.ToString("0.#", CultureInfo.InvariantCulture) + " days";

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

    /// <summary>The pieces of evidence the placeholders of <paramref name="template"/> read, so that they are gathered before it is filled.</summary>
    public static EvidencePieces Needs(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var needs = EvidencePieces.None;
        for (var open = template.IndexOf('{', StringComparison.Ordinal); open >= 0; open = template.IndexOf('{', open + 1))
        {
            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                break;
            }

            if (NeedsByName.TryGetValue(template.AsSpan(open + 1, close - open - 1), out var pieces))
            {
                needs |= pieces;
            }
        }

        return needs;
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
