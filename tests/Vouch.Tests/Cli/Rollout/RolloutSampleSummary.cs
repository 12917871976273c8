using System.Text.Json.Nodes;

namespace Vouch.Tests.Cli.Rollout;

/// <summary>
/// Hand-built rollout summaries (schema vouch-rollout/1) for the HTML report's tests. The counts the tests
/// expect are read back from the JSON, so a summary made by the real computation can replace these.
/// </summary>
internal static class RolloutSampleSummary
{
    /// <summary>A HELO name that would end the summary's script element and run code if the page let it.</summary>
    public const string HostileHelo = "</script><img src=x onerror=alert(1)>";

    /// <summary>A sender that would add an element with id "pwned" if it were put in the page as markup.</summary>
    public const string HostileSender = "<b id=pwned>x</b>@example.net";

    /// <summary>A full summary: three weeks, four rules (two reject, one defers, one accepts), 2 + 3 + 1 top rows, a what-if.</summary>
    public static JsonObject Full() => new()
    {
        ["schema"] = "vouch-rollout/1",
        ["generated"] = "2026-12-07T10:00:00Z",
        ["inputs"] = new JsonArray("decisions.jsonl", "decisions.jsonl.1.gz"),
        ["lines"] = 1200,
        ["decisions"] = 1180,
        ["unreadable_lines"] = 20,
        ["first"] = "2026-11-02T08:00:00Z",
        ["last"] = "2026-12-06T22:10:00Z",
        ["configs"] = new JsonArray("3f2a9c1b0d4e"),
        ["totals"] = new JsonObject { ["accept"] = 900, ["tag"] = 10, ["defer"] = 30, ["reject"] = 240 },
        ["would_refuse"] = 240,
        ["would_defer"] = 30,
        ["would_refuse_share"] = 0.2034,
        ["would_defer_share"] = 0.0254,
        ["by_rule"] = new JsonArray(
            Rule("spf_none", "black", "reject", 120),
            Rule("spf_softfail", "black", "reject", 120),
            Rule("dns_trouble", "grey", "defer", 30),
            Rule("mx_registered", "white", "accept", 910)),
        ["weeks"] = new JsonArray(
            Week("2026-W45", "2026-11-02", 200, 2, 5, 60),
            Week("2026-W46", "2026-11-09", 350, 3, 10, 90),
            Week("2026-W47", "2026-11-16", 350, 5, 15, 90)),
        ["top_owners"] = new JsonArray(
            Row("example.com", 42, HostileHelo, "bounce@example.com"),
            Row("example.org", 30, "mail.example.org", HostileSender)),
        ["top_domains"] = new JsonArray(
            Row("example.com", 40, "mail.example.com", "a@example.com"),
            Row("lists.example.org", 20, "mail.example.org", "b@lists.example.org"),
            Row("example.net", 10, "mx.example.net", "c@example.net")),
        ["top_networks"] = new JsonArray(
            Row("192.0.2.0/24", 60, "mail.example.com", "d@example.com")),
        ["what_if"] = new JsonObject
        {
            ["config"] = "9b1c0e7f2a3d",
            ["compared"] = 1180,
            ["changed"] = 35,
            ["undecidable"] = 2,
            ["changes"] = new JsonArray(new JsonObject
            {
                ["from"] = "accept", ["to"] = "reject", ["rule_before"] = "mx_registered", ["rule_after"] = "spf_softfail", ["count"] = 30,
            }),
            ["by_owner"] = new JsonArray(new JsonObject { ["key"] = "example.org", ["count"] = 30, ["from"] = "accept", ["to"] = "reject" }),
        },
    };

    /// <summary>A log with no decision: no weeks, no rules, no rows, no what-if, and the optional parts missing.</summary>
    public static JsonObject Empty() => new()
    {
        ["schema"] = "vouch-rollout/1",
        ["generated"] = "2026-12-07T10:00:00Z",
        ["inputs"] = new JsonArray("empty.jsonl"),
        ["lines"] = 0,
        ["decisions"] = 0,
        ["weeks"] = new JsonArray(),
        ["by_rule"] = new JsonArray(),
        ["top_owners"] = new JsonArray(),
        ["top_domains"] = null,
        ["what_if"] = null,
    };

    private static JsonObject Rule(string rule, string verdict, string enforcedAction, int count) => new()
    {
        ["rule"] = rule, ["verdict"] = verdict, ["enforced_action"] = enforcedAction, ["count"] = count,
    };

    private static JsonObject Week(string week, string start, int accept, int tag, int defer, int reject) => new()
    {
        ["week"] = week, ["start"] = start, ["accept"] = accept, ["tag"] = tag, ["defer"] = defer, ["reject"] = reject,
    };

    private static JsonObject Row(string key, int count, string helo, string sender) => new()
    {
        ["key"] = key,
        ["count"] = count,
        ["approximate"] = count < 15,
        ["first"] = "2026-11-02T08:00:00Z",
        ["last"] = "2026-12-01T10:00:00Z",
        ["rules"] = new JsonObject { ["spf_none"] = count - 2, ["spf_softfail"] = 2 },
        ["looks_legitimate"] = new JsonArray("fcrdns", "steady"),
        ["fix"] = $"publish an SPF record for {key} listing 192.0.2.7 (v=spf1 ip4:192.0.2.7 -all), or list the server as a low-priority MX host",
        ["tell"] = $"postmaster@{key}",
        ["sample"] = new JsonObject
        {
            ["time"] = "2026-11-20T09:14:03Z",
            ["queue_id"] = "4XyZ1q2w3e",
            ["client"] = "192.0.2.7",
            ["helo"] = helo,
            ["sender"] = sender,
            ["identity"] = new JsonArray("fcrdns"),
            ["spf"] = "none",
            ["helo_spf"] = "none",
            ["registration"] = "registered",
            ["rmx"] = "none",
            ["verdict"] = "black",
            ["action"] = "accept",
            ["enforced_action"] = "reject",
            ["mode"] = "monitor",
            ["rule"] = "spf_none",
            ["reason"] = $"no SPF record for {key}",
            ["answer"] = "DUNNO",
            ["ms"] = 12.5,
            ["dns"] = 4,
        },
    };
}
