using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Vouch.DecisionLog;

/// <summary>
/// Reads a decision-log line into a <see cref="DecisionLine"/> in one pass of a <see cref="Utf8JsonReader"/>: each
/// field name looked up once, unknown fields skipped, a value of the wrong type a <see cref="JsonException"/>.
/// Written by hand because <c>vouch rollout</c> reads millions of lines: a JsonDocument with a lookup per field read
/// 30,000 lines a second, the serializer (source-generated) 44,000, this several times that (docs/performance.md).
/// </summary>
internal sealed class DecisionLineReader
{
    // The values a log repeats (results, domains, rules, reasons) are made once: a line's strings were most of
    // what rollout allocated, and the garbage collector its main cost.
    private const int MaxPooledLength = 512;
    private const int MaxPooled = 100_000;
    private readonly Dictionary<string, string> pool = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> pooled;

    /// <summary>A reader with an empty pool of repeated values.</summary>
    public DecisionLineReader()
    {
        pooled = pool.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private delegate void FieldReader(DecisionLineReader owner, DecisionLine line, ref Utf8JsonReader reader);

    private static readonly FrozenDictionary<string, FieldReader>.AlternateLookup<ReadOnlySpan<char>> Fields = new Dictionary<string, FieldReader>(StringComparer.Ordinal)
    {
        ["v"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Version = r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var v) ? v : throw new JsonException("\"v\" is not a whole number"),
        ["time"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Time = Text(ref r),
        ["front_end"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.FrontEnd = o.Pooled(ref r),
        ["config"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Config = o.Pooled(ref r),
        ["queue_id"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.QueueId = Text(ref r),
        ["client"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Client = Text(ref r),
        ["helo"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Helo = o.Pooled(ref r),
        ["sender"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Sender = o.Pooled(ref r),
        ["spf"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Spf = o.Pooled(ref r),
        ["spf_domain"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.SpfDomain = o.Pooled(ref r),
        ["spf_mechanism"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.SpfMechanism = o.Pooled(ref r),
        ["spf_explanation"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.SpfExplanation = o.Pooled(ref r),
        ["spf_problem"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.SpfProblem = o.Pooled(ref r),
        ["helo_spf"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.HeloSpf = o.Pooled(ref r),
        ["helo_spf_domain"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.HeloSpfDomain = o.Pooled(ref r),
        ["helo_spf_problem"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.HeloSpfProblem = o.Pooled(ref r),
        ["helo_spf_checked"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.HeloSpfChecked = r.GetBoolean(),
        ["fcrdns"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Fcrdns = o.Pooled(ref r),
        ["fcrdns_names"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.FcrdnsNames = o.Texts(ref r),
        ["registration"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Registration = o.Pooled(ref r),
        ["domain"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Domain = o.Pooled(ref r),
        ["owner"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Owner = o.Pooled(ref r),
        ["route"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Route = o.Pooled(ref r),
        ["mx_host"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.MxHost = o.Pooled(ref r),
        ["preference"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Preference = r.GetInt32(),
        ["lowest_priority"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.LowestPriority = r.GetBoolean(),
        ["sender_null_mx"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.SenderNullMx = r.GetBoolean(),
        ["registration_problem"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.RegistrationProblem = o.Pooled(ref r),
        ["candidates"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Candidates = o.Candidates(ref r),
        ["rmx"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Rmx = o.Pooled(ref r),
        ["rmx_domain"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.RmxDomain = o.Pooled(ref r),
        ["rmx_entry"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.RmxEntry = o.Pooled(ref r),
        ["rmx_problem"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.RmxProblem = o.Pooled(ref r),
        ["allowed"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Allowed = o.Listing(ref r),
        ["local_blocked"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.LocalBlocked = o.Listing(ref r),
        ["dns_lists"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.DnsLists = o.DnsLists(ref r),
        ["own_mx_host"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.OwnMxHost = o.Pooled(ref r),
        ["trusted_network"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.TrustedNetwork = o.Pooled(ref r),
        ["not_asked"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.NotAsked = o.Texts(ref r),
        ["verdict"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Verdict = o.Pooled(ref r),
        ["action"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Action = o.Pooled(ref r),
        ["enforced_action"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.EnforcedAction = o.Pooled(ref r),
        ["mode"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Mode = o.Pooled(ref r),
        ["rule"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Rule = o.Pooled(ref r),
        ["reason"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Reason = o.Pooled(ref r),
        ["reply"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Reply = o.Pooled(ref r),
        ["answer"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Answer = o.Pooled(ref r),
        ["ms"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Milliseconds = r.GetDouble(),
        ["dns"] = (DecisionLineReader o, DecisionLine l, ref Utf8JsonReader r) => l.Dns = r.GetInt32(),
    }.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Reads the JSON object in <paramref name="utf8"/>; null when it is not an object.</summary>
    /// <exception cref="JsonException">Not JSON (or not UTF-8), or a known field with a value of the wrong type.</exception>
    public DecisionLine? Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 8 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var line = new DecisionLine();
        Span<char> name = stackalloc char[64];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.HasValueSequence || reader.ValueSpan.Length > name.Length || reader.ValueIsEscaped ? null : Field(reader.ValueSpan, name);
            reader.Read();
            if (field is null)
            {
                reader.Skip();
            }
            else
            {
                field(this, line, ref reader);
            }
        }

        return line;
    }

    private static FieldReader? Field(ReadOnlySpan<byte> utf8, Span<char> buffer)
    {
        // Field names are ASCII: a byte is a char.
        for (var i = 0; i < utf8.Length; i++)
        {
            buffer[i] = (char)utf8[i];
        }

        return Fields.TryGetValue(buffer[..utf8.Length], out var field) ? field : null;
    }

    /// <summary>A text value (or a member name), made once while the pool holds it.</summary>
    private string? Pooled(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxPooledLength)
        {
            return Text(ref reader);
        }

        Span<char> chars = stackalloc char[MaxPooledLength];
        if (!Encoding.UTF8.TryGetChars(reader.ValueSpan, chars, out var length))
        {
            return Text(ref reader);
        }

        if (pooled.TryGetValue(chars[..length], out var known))
        {
            return known;
        }

        if (pool.Count >= MaxPooled)
        {
            pool.Clear();
        }

        var made = new string(chars[..length]);
        pool[made] = made;
        return made;
    }

    private static string? Text(ref Utf8JsonReader reader) =>
        reader.TokenType is JsonTokenType.String or JsonTokenType.Null or JsonTokenType.PropertyName ? reader.GetString() : throw new JsonException($"a {reader.TokenType} where text was expected");

    private List<string> Texts(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(Pooled(ref reader) ?? "");
        }

        return values;
    }

    private List<DecisionLine.CandidateLine> Candidates(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var candidates = new List<DecisionLine.CandidateLine>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var candidate = new DecisionLine.CandidateLine();
            ReadObject(ref reader, (string name, ref Utf8JsonReader r) =>
            {
                switch (name)
                {
                    case "domain": candidate.Domain = Pooled(ref r); break;
                    case "route": candidate.Route = Pooled(ref r); break;
                    case "outcome": candidate.Outcome = Pooled(ref r); break;
                    default: r.Skip(); break;
                }
            });
            candidates.Add(candidate);
        }

        return candidates;
    }

    private DecisionLine.ListingLine? Listing(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var listing = new DecisionLine.ListingLine();
        ReadObject(ref reader, (string name, ref Utf8JsonReader r) =>
        {
            switch (name)
            {
                case "list": listing.List = Pooled(ref r); break;
                case "subject": listing.Subject = Pooled(ref r); break;
                case "entry": listing.Entry = Pooled(ref r); break;
                default: r.Skip(); break;
            }
        });
        return listing;
    }

    private List<DecisionLine.DnsListLine> DnsLists(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var lists = new List<DecisionLine.DnsListLine>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var list = new DecisionLine.DnsListLine();
            ReadObject(ref reader, (string name, ref Utf8JsonReader r) =>
            {
                switch (name)
                {
                    case "list": list.List = Pooled(ref r); break;
                    case "zone": list.Zone = Pooled(ref r); break;
                    case "kind": list.Kind = Pooled(ref r); break;
                    case "subject": list.Subject = Text(ref r); break;
                    case "query": list.Query = Text(ref r); break;
                    case "outcome": list.Outcome = Pooled(ref r); break;
                    case "text": list.Text = Pooled(ref r); break;
                    default: r.Skip(); break;
                }
            });
            lists.Add(list);
        }

        return lists;
    }

    private delegate void MemberReader(string name, ref Utf8JsonReader reader);

    private void ReadObject(ref Utf8JsonReader reader, MemberReader member)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Pooled(ref reader) ?? "";
            reader.Read();
            member(name, ref reader);
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"a {reader.TokenType} where {type} was expected");
        }
    }
}
