using System.Text.RegularExpressions;
using Vouch.Configuration;
using Vouch.Policy;

namespace Vouch.Tests.Configuration;

/// <summary>
/// Keeps docs/configuration.md honest: its TOML parses, its default table is the default, its example is the example
/// file, and its tables and keys are <see cref="ConfigurationSchema"/>'s, with the same ranges and defaults.
/// </summary>
public sealed partial class ConfigurationDocumentationTests
{
    private static readonly string DocumentPath = Path.Combine(TestPaths.RepositoryRoot, "docs", "configuration.md");

    public static TheoryData<int> TomlBlockNumbers() => [.. Enumerable.Range(1, TomlBlocks().Count)];

    [Theory]
    [MemberData(nameof(TomlBlockNumbers))]
    public void EveryTomlBlockParses(int number) =>
        ConfigurationLoader.Parse(TomlBlocks()[number - 1], $"configuration.md block {number}");

    [Fact]
    public void TheDefaultTableAsRulesIsTheDefaultTable()
    {
        var block = TomlBlocks().Single(b => b.Contains("when = \"null_mx_sender\"", StringComparison.Ordinal) && !b.Contains("[dns]", StringComparison.Ordinal));

        Assert.Equal(DecisionTable.Default, ConfigurationLoader.Parse(block, "configuration.md").Policy.Rules);
    }

    [Fact]
    public void TheCompleteExampleIsTheExampleFile()
    {
        var file = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "examples", "vouch.toml"));

        Assert.Equal(file.TrimEnd('\n'), TomlBlocks()[^1].TrimEnd('\n'));
    }

    [Fact]
    public void EveryConditionIsDocumented()
    {
        var document = File.ReadAllText(DocumentPath);
        foreach (var (word, _) in ConfigurationWords.Conditions)
        {
            Assert.Contains($"| `{word}` |", document, StringComparison.Ordinal);
        }

        foreach (var placeholder in ConfigurationWords.ReasonPlaceholders)
        {
            Assert.Contains($"`{{{placeholder}}}`", document, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string> SectionPaths() => [.. ConfigurationSchema.All.Select(section => section.Path)];

    [Theory]
    [MemberData(nameof(SectionPaths))]
    public void EveryDeclaredKeyIsDocumentedInItsTable(string path)
    {
        var section = ConfigurationSchema.All.Single(s => s.Path == path);
        var part = DocumentPart(section);
        foreach (var key in section.Keys.Where(k => k.MovedTo is not null))
        {
            // A key kept in its old table is documented in its new one, which says where it was.
            var current = ConfigurationSchema.All.Single(s => s.Path == key.MovedTo);
            Assert.NotNull(KeyChunk(DocumentPart(current), key.Name));
            Assert.Contains($"`{section.Header}`", DocumentPart(current), StringComparison.Ordinal);
        }

        foreach (var key in section.Keys.Where(k => k.MovedTo is null))
        {
            Assert.True(
                KeyChunk(part, key.Name) is not null || part.Contains($"\n{key.Name} = ", StringComparison.Ordinal),
                $"{section.Header} {key.Name} is declared but docs/configuration.md does not document it there");
        }
    }

    [Theory]
    [MemberData(nameof(SectionPaths))]
    public void EveryDocumentedKeyIsDeclaredInItsTable(string path)
    {
        var section = ConfigurationSchema.All.Single(s => s.Path == path);
        var documented = KeyHeading().Matches(DocumentPart(section)).SelectMany(m => m.Groups["key"].Captures.Select(c => c.Value))
            .Concat(KeyTable().Matches(DocumentPart(section)).SelectMany(m => m.Groups["key"].Captures.Select(c => c.Value)));
        var declared = section.Keys.Concat(section.Tables.SelectMany(table => table.Keys)).Select(k => k.Name).ToList();

        Assert.All(documented, key => Assert.Contains(key, declared));
    }

    [Theory]
    [MemberData(nameof(SectionPaths))]
    public void TheDocumentedRangesAndDefaultsAreTheDeclaredOnes(string path)
    {
        var section = ConfigurationSchema.All.Single(s => s.Path == path);
        var part = DocumentPart(section);
        foreach (var key in section.Keys.Where(k => k.MovedTo is null && (k.Type.StartsWith("integer", StringComparison.Ordinal) || k.Type == "boolean")))
        {
            var chunk = KeyChunk(part, key.Name) ?? "";
            var range = key.Type.Replace("integer, ", "", StringComparison.Ordinal).Replace("boolean", "", StringComparison.Ordinal);
            Assert.True(chunk.Contains(range, StringComparison.Ordinal), $"{section.Header} {key.Name}: docs/configuration.md does not give its range {range}");
            Assert.True(chunk.Contains(key.Default, StringComparison.OrdinalIgnoreCase), $"{section.Header} {key.Name}: docs/configuration.md does not give its default {key.Default}");
        }
    }

    // The part of the document about one table: from its heading to the next heading of the same or a higher level.
    private static string DocumentPart(ConfigurationSection section)
    {
        var lines = File.ReadAllText(DocumentPath).Split('\n');
        var title = section.Path.Length == 0 ? "Top level" : $"`{section.Header}`";
        var start = Array.FindIndex(lines, line => line.StartsWith('#') && line.TrimStart('#').TrimStart().StartsWith(title, StringComparison.Ordinal));
        Assert.True(start >= 0, $"docs/configuration.md has no heading for {section.Header}");
        var level = lines[start].TakeWhile(c => c == '#').Count();
        var end = Array.FindIndex(lines, start + 1, line => line.StartsWith('#') && line.TakeWhile(c => c == '#').Count() <= level);
        return string.Join('\n', lines[start..(end < 0 ? lines.Length : end)]);
    }

    // What the document says about one key: its own heading's text, or its row of a key table.
    private static string? KeyChunk(string part, string key)
    {
        var lines = part.Split('\n');
        var row = lines.FirstOrDefault(line => line.StartsWith($"| `{key}` |", StringComparison.Ordinal));
        var heading = Array.FindIndex(lines, line => line.StartsWith("### ", StringComparison.Ordinal) && KeyHeading().Match(line + "\n") is { Success: true } m && m.Groups["key"].Captures.Any(c => c.Value == key));
        if (heading < 0)
        {
            return row;
        }

        var next = Array.FindIndex(lines, heading + 1, line => line.StartsWith('#'));
        return string.Join('\n', lines[heading..(next < 0 ? lines.Length : next)]);
    }

    [GeneratedRegex(@"^### (?:`(?<key>[a-z0-9_]+)`(?:, )?)+$", RegexOptions.Multiline)]
    private static partial Regex KeyHeading();

    // Rows of the tables whose first column is "key" (the other tables list conditions, shortcuts or kinds).
    [GeneratedRegex(@"^\| key \|.*\n\|[- |]+\n(?:\| `(?<key>[a-z0-9_]+)` \|.*\n)+", RegexOptions.Multiline)]
    private static partial Regex KeyTable();

    private static List<string> TomlBlocks() =>
        [.. TomlBlock().Matches(File.ReadAllText(DocumentPath)).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^```toml\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex TomlBlock();
}
