using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Vouch.Dns;

namespace Vouch.Registration;

/// <summary>
/// The Public Suffix List (https://publicsuffix.org/list/): which domains are public suffixes, under which anyone
/// can register a name, and so which domain is the organisational domain — the owner a reputation sticks to.
/// Rules from the ICANN and the PRIVATE sections count alike. Immutable once built and safe for concurrent use.
/// </summary>
/// <remarks>
/// Rules and looked-up names are normalized alike: ASCII letters lower-cased, Unicode labels converted to punycode
/// (IDNA ToASCII with unassigned code points allowed), one trailing dot removed. A label that cannot be converted
/// is kept lower-cased as it is, so it only ever matches a wildcard. Answers are lower-case ASCII without a
/// trailing dot; a name that is empty, or has an empty label (a leading dot, two dots in a row), has the answer "".
/// </remarks>
public sealed class PublicSuffixList
{
    /// <summary>Where Debian's package <c>publicsuffix</c> installs the list: the default of the <c>public_suffix_list</c> setting.</summary>
    public const string DefaultPath = "/usr/share/publicsuffix/public_suffix_list.dat";

    private const string SettingHint = $"setting public_suffix_list; Debian's package 'publicsuffix' installs {DefaultPath}";

    // Keyed on the normalized rule without "!" and without a leading "*." label; every proper suffix of a key is
    // a key as well (kind None at least), so a lookup stops at the first suffix of the name that is not a key.
    private readonly Dictionary<string, PublicSuffixRuleKinds>.AlternateLookup<ReadOnlySpan<char>> rules;

    // Rules with a wildcard below the leftmost label ("a.*.b") or an exception on a wildcard: the list format
    // allows them, the list has none, so they are matched label by label rather than kept in the dictionary.
    private readonly (string[] Labels, bool IsException)[] patternRules;

    private PublicSuffixList(Dictionary<string, PublicSuffixRuleKinds> rules, (string[] Labels, bool IsException)[] patternRules, int ruleCount)
    {
        this.rules = rules.GetAlternateLookup<ReadOnlySpan<char>>();
        this.patternRules = patternRules;
        RuleCount = ruleCount;
    }

    /// <summary>How many rules the list text held (lines with a rule, duplicates included); 0 for a list with only the implicit "*" rule.</summary>
    public int RuleCount { get; }

    /// <summary>
    /// Reads the list's text: one rule per line, read up to the first whitespace; lines starting with "//" are
    /// comments. A rule may start with "!" (an exception) and may have whole-label "*" wildcards. Text without
    /// rules gives a list with only the implicit "*" rule (every top-level domain is a public suffix).
    /// </summary>
    /// <param name="text">The list's content, such as the text of public_suffix_list.dat.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">A rule has an empty label, or a "*" that is not a whole label; the message gives the line.</exception>
    public static PublicSuffixList Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rules = new Dictionary<string, PublicSuffixRuleKinds>(StringComparer.Ordinal);
        var lookup = rules.GetAlternateLookup<ReadOnlySpan<char>>();
        var patternRules = new List<(string[] Labels, bool IsException)>();
        var ruleCount = 0;
        var lineNumber = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var rule = line.TrimStart();
            var end = 0;
            while (end < rule.Length && !char.IsWhiteSpace(rule[end]))
            {
                end++;
            }

            rule = rule[..end];
            if (rule.IsEmpty || rule.StartsWith("//"))
            {
                continue;
            }

            var isException = rule[0] == '!';
            var body = isException ? rule[1..] : rule;
            if (body.StartsWith('.'))
            {
                body = body[1..]; // "A leading dot is optional" (list format).
            }

            var name = ToLookupForm(body.ToString());
            if (string.IsNullOrEmpty(name))
            {
                throw new FormatException($"line {lineNumber}: rule '{rule}' has an empty label");
            }

            ruleCount++;
            var isWildcard = name == "*" || name.StartsWith("*.", StringComparison.Ordinal);
            var key = !isWildcard ? name : name.Length == 1 ? "" : name[2..];
            if (name.Contains('*'))
            {
                var labels = name.Split('.');
                if (labels.Any(label => label != "*" && label.Contains('*')))
                {
                    throw new FormatException($"line {lineNumber}: rule '{rule}' has '*' inside a label; a wildcard must be a whole label");
                }

                if (key.Contains('*') || isException)
                {
                    patternRules.Add((labels, isException));
                    continue;
                }
            }

            if (key.Length == 0)
            {
                // "*" alone is the implicit rule (algorithm step 2): nothing to store.
                continue;
            }

            ref var kinds = ref CollectionsMarshal.GetValueRefOrAddDefault(rules, key, out _);
            kinds |= isException ? PublicSuffixRuleKinds.Exception : isWildcard ? PublicSuffixRuleKinds.Wildcard : PublicSuffixRuleKinds.Normal;
            for (var dot = key.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = key.IndexOf('.', dot + 1))
            {
                lookup.TryAdd(key.AsSpan(dot + 1), PublicSuffixRuleKinds.None);
            }
        }

        return new PublicSuffixList(rules, [.. patternRules], ruleCount);
    }

    /// <summary>Reads and parses the list file at <paramref name="path"/> (UTF-8), normally <see cref="DefaultPath"/>.</summary>
    /// <param name="path">The file to read: the <c>public_suffix_list</c> setting.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="PublicSuffixListException">
    /// The file is missing, cannot be read, is malformed or holds no rules; the message names the path, the setting
    /// and the Debian package that provides the default file.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<PublicSuffixList> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PublicSuffixListException(path, $"public suffix list not found at {path} ({SettingHint})", exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PublicSuffixListException(path, $"public suffix list at {path} cannot be read: {exception.Message} ({SettingHint})", exception);
        }

        PublicSuffixList list;
        try
        {
            list = Parse(text);
        }
        catch (FormatException exception)
        {
            throw new PublicSuffixListException(path, $"public suffix list at {path} is not valid: {exception.Message} ({SettingHint})", exception);
        }

        if (list.RuleCount == 0)
        {
            throw new PublicSuffixListException(path, $"public suffix list at {path} has no rules ({SettingHint})");
        }

        return list;
    }

    /// <summary>
    /// The public suffix of <paramref name="domain"/> by the list's algorithm: the labels matched by the prevailing
    /// rule — an exception rule less its leftmost label if one matches, else the matching rule with the most labels,
    /// else the implicit "*" (the top-level label). "mail.example.co.uk" gives "co.uk"; "example.unlisted" gives "unlisted".
    /// </summary>
    /// <param name="domain">A domain name, Unicode or punycode, any case, with or without a trailing dot.</param>
    /// <returns>The suffix in lower-case ASCII; "" when <paramref name="domain"/> is empty or has an empty label.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is null.</exception>
    public string GetPublicSuffix(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var name = ToLookupForm(domain);
        return string.IsNullOrEmpty(name) ? "" : LastLabels(name, PublicSuffixLabelCount(name));
    }

    /// <summary>
    /// The organisational (registrable) domain of <paramref name="domain"/>: its public suffix plus one more label,
    /// or the domain itself when it is a public suffix. "mail.example.co.uk" gives "example.co.uk"; "co.uk" gives "co.uk".
    /// </summary>
    /// <param name="domain">A domain name, Unicode or punycode, any case, with or without a trailing dot.</param>
    /// <returns>The domain in lower-case ASCII; "" when <paramref name="domain"/> is empty or has an empty label.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is null.</exception>
    public string GetOrganizationalDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var name = ToLookupForm(domain);
        return string.IsNullOrEmpty(name) ? "" : LastLabels(name, PublicSuffixLabelCount(name) + 1);
    }

    /// <summary>
    /// The organisational domain by <paramref name="list"/>, or, with no list loaded, the last two labels: the guess the
    /// audit's SPF walk and flattener both make when a receiver runs without a suffix list.
    /// </summary>
    /// <param name="list">The list, or null when none is configured.</param>
    /// <param name="domain">A normalized domain name.</param>
    public static string OrganizationalDomainOrLastTwoLabels(PublicSuffixList? list, string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (list is not null)
        {
            return list.GetOrganizationalDomain(domain);
        }

        var labels = domain.Split('.');
        return labels.Length <= 2 ? domain : string.Join('.', labels[^2..]);
    }

    /// <summary>How many labels of <paramref name="name"/> (normalized, not empty) the prevailing rule matches.</summary>
    private int PublicSuffixLabelCount(string name)
    {
        var longest = 1; // Algorithm step 2: when no rule matches, the implicit "*" rule prevails.
        var exception = 0;
        var end = name.Length;
        for (var labels = 1; ; labels++)
        {
            var dot = name.LastIndexOf('.', end - 1);
            if (!rules.TryGetValue(name.AsSpan(dot + 1), out var kinds))
            {
                break;
            }

            if ((kinds & PublicSuffixRuleKinds.Normal) != 0)
            {
                longest = labels;
            }

            if ((kinds & PublicSuffixRuleKinds.Wildcard) != 0 && dot >= 0)
            {
                longest = labels + 1;
            }

            if ((kinds & PublicSuffixRuleKinds.Exception) != 0)
            {
                exception = labels;
            }

            if (dot < 0)
            {
                break;
            }

            end = dot;
        }

        foreach (var (labels, isException) in patternRules)
        {
            if (labels.Length > (isException ? exception : longest) && Matches(name, labels))
            {
                if (isException)
                {
                    exception = labels.Length;
                }
                else
                {
                    longest = labels.Length;
                }
            }
        }

        // Steps 3 to 5: a matching exception rule prevails, less its leftmost label; else the longest rule.
        return exception > 0 ? exception - 1 : longest;
    }

    /// <summary>True when every label of the rule, from the right, equals the name's label or is "*" (the list's "match").</summary>
    private static bool Matches(string name, string[] ruleLabels)
    {
        var end = name.Length;
        for (var i = ruleLabels.Length - 1; i >= 0; i--)
        {
            if (end < 0)
            {
                return false;
            }

            var dot = name.LastIndexOf('.', end - 1);
            if (ruleLabels[i] != "*" && !name.AsSpan(dot + 1, end - dot - 1).SequenceEqual(ruleLabels[i]))
            {
                return false;
            }

            end = dot;
        }

        return true;
    }

    /// <summary>The last <paramref name="count"/> labels of <paramref name="name"/>; all of it when it has no more.</summary>
    private static string LastLabels(string name, int count)
    {
        if (count == 0)
        {
            return "";
        }

        var start = name.Length;
        for (var i = 0; i < count; i++)
        {
            start = name.LastIndexOf('.', start - 1);
            if (start < 0)
            {
                return name;
            }
        }

        return name[(start + 1)..];
    }

    /// <summary>
    /// Lower-case ASCII <paramref name="domain"/> without its trailing dot; "" for "" and "."; null when a label is
    /// empty. Allocates nothing for a name already in that form.
    /// </summary>
    private static string? ToLookupForm(string domain)
    {
        var name = Ascii.IsValid(domain) ? domain : ToAsciiLabels(domain);
        var length = name.Length > 0 && name[^1] == '.' ? name.Length - 1 : name.Length;
        if (length == 0)
        {
            return "";
        }

        var span = name.AsSpan(0, length);
        return span[0] == '.' || span[^1] == '.' || span.Contains("..", StringComparison.Ordinal) ? null : DnsName.Normalize(name);
    }

    /// <summary>Converts each label holding non-ASCII characters to punycode; a label IDNA rejects is kept as it is, lower-cased.</summary>
    private static string ToAsciiLabels(string domain)
    {
        // Lower-case first: with invariant globalization, IdnMapping neither case-folds nor normalizes.
        // RFC 3490 §3.1: ideographic and full-width full stops separate labels too; ToASCII runs per label.
        var labels = domain.ToLowerInvariant().Split('.', '\u3002', '\uFF0E', '\uFF61');
        var mapping = new IdnMapping { AllowUnassigned = true };
        for (var i = 0; i < labels.Length; i++)
        {
            if (!Ascii.IsValid(labels[i]))
            {
                try
                {
                    labels[i] = mapping.GetAscii(labels[i]);
                }
                catch (ArgumentException)
                {
                    // Not a valid IDN label (a lone surrogate, a control character, too long): it matches no rule.
                }
            }
        }

        return string.Join('.', labels);
    }
}
