using System.Text.RegularExpressions;
using Vouch.Configuration;
using Vouch.Policy;

namespace Vouch.Tests.Configuration;

/// <summary>Keeps docs/configuration.md honest: its TOML parses, its default table is the default, its example is the example file.</summary>
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

    private static List<string> TomlBlocks() =>
        [.. TomlBlock().Matches(File.ReadAllText(DocumentPath)).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^```toml\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex TomlBlock();
}
