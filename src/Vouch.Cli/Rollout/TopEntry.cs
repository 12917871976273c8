using Vouch.DecisionLog;
using Vouch.Policy;

namespace Vouch.Cli.Rollout;

/// <summary>One key of a <see cref="TopTable"/> (an owner, a domain, a client network) and what its decisions showed.</summary>
internal sealed class TopEntry(string key)
{
    // Distinct days are what "sends steadily" weighs; a year of them is plenty.
    private const int MaxDays = 400;
    private readonly HashSet<int> days = [];

    /// <summary>Where the entry sits in its table's heap.</summary>
    public int HeapIndex { get; set; }

    /// <summary>The key.</summary>
    public string Key { get; private set; } = key;

    /// <summary>Decisions counted (an over-estimate by at most <see cref="Error"/> after evictions).</summary>
    public long Count { get; private set; }

    /// <summary>How much of <see cref="Count"/> may belong to keys this entry replaced (Space-Saving's error bound).</summary>
    public long Error { get; private set; }

    /// <summary>The first decision counted.</summary>
    public DateTimeOffset First { get; private set; } = DateTimeOffset.MaxValue;

    /// <summary>The last decision counted.</summary>
    public DateTimeOffset Last { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Decisions by the row that decided.</summary>
    public Dictionary<string, long> Rules { get; } = new(StringComparer.Ordinal);

    /// <summary>Decisions whose client passed FCrDNS.</summary>
    public long FcrdnsPassed { get; private set; }

    /// <summary>Decisions whose sender domain has MX hosts (a registration candidate by MAIL FROM with MX records).</summary>
    public long SenderHasMx { get; private set; }

    /// <summary>Decisions where DNS lists were asked and none listed the client.</summary>
    public long NotListed { get; private set; }

    /// <summary>Distinct days with a decision (at most 400 kept).</summary>
    public int Days => days.Count;

    /// <summary>
    /// The JSON of a decision counted, as the example behind the row (UTF-8): the first one, or for a key that
    /// replaced another the second (most such keys are seen once and evicted again: copying each one's line made
    /// the garbage collector the main cost of a log of many one-off networks). Null until then.
    /// </summary>
    public byte[]? SampleJson { get; private set; }

    /// <summary>The sample, read back; null without one.</summary>
    public DecisionRecord? Sample => SampleJson is { } json && DecisionRecordJson.TryParse(System.Text.Encoding.UTF8.GetString(json), out var record, out _) ? record : null;

    /// <summary>Takes this entry over for <paramref name="newKey"/>, which inherits the count as its error (Space-Saving).</summary>
    public void Replace(string newKey)
    {
        Key = newKey;
        Error = Count;
        First = DateTimeOffset.MaxValue;
        Last = DateTimeOffset.MinValue;
        Rules.Clear();
        FcrdnsPassed = SenderHasMx = NotListed = 0;
        days.Clear();
        SampleJson = null;
    }

    /// <summary>Counts one decision; <paramref name="line"/> is its log line, whose JSON becomes the sample of a new entry.</summary>
    public void Add(DecisionRecord record, ReadOnlySpan<byte> line)
    {
        Count++;
        First = record.Time < First ? record.Time : First;
        Last = record.Time > Last ? record.Time : Last;
        var rule = record.Rule.ToToken();
        Rules[rule] = Rules.GetValueOrDefault(rule) + 1;
        if (days.Count < MaxDays)
        {
            days.Add((int)(record.Time.UtcTicks / TimeSpan.TicksPerDay));
        }

        if (record.Evidence is { } evidence)
        {
            FcrdnsPassed += evidence.Fcrdns.Code == Registration.FcrdnsResultCode.Pass ? 1 : 0;
            SenderHasMx += evidence.Registration.Candidates.Any(c => c.Via == Registration.RegistrationRoute.MailFrom && c.Outcome is Registration.CandidateOutcome.NotListed or Registration.CandidateOutcome.Registered) ? 1 : 0;
            NotListed += evidence.WasAsked(EvidencePieces.Lists) && evidence.DnsLists.Count > 0 && evidence.Blocked is null ? 1 : 0;
        }

        if (SampleJson is null && (Error == 0 || Count - Error >= 2))
        {
            SampleJson = line[line.IndexOf((byte)'{')..].ToArray();
        }
    }

    /// <summary>
    /// Why the refused sender may be legitimate: "fcrdns" (its address confirms its name), "mx" (its domain
    /// receives mail), "steady" (on 5 days or more, over two weeks or more), "not_listed" (no DNS list lists it);
    /// each held by most of its decisions.
    /// </summary>
    public IReadOnlyList<string> LooksLegitimate()
    {
        var measured = Count - Error;
        var flags = new List<string>();
        if (measured > 0 && FcrdnsPassed * 2 > measured)
        {
            flags.Add("fcrdns");
        }

        if (measured > 0 && SenderHasMx * 2 > measured)
        {
            flags.Add("mx");
        }

        if (Days >= 5 && Last - First >= TimeSpan.FromDays(14))
        {
            flags.Add("steady");
        }

        if (measured > 0 && NotListed * 2 > measured)
        {
            flags.Add("not_listed");
        }

        return flags;
    }
}
