using System.Text.RegularExpressions;

namespace Vouch.Tests.Architecture;

/// <summary>
/// The folders of the library depend on each other one way only (docs/architecture.md): read from the source,
/// every <c>using Vouch.X</c> and every qualified <c>Vouch.X.</c> name of a file counts as its folder using X.
/// </summary>
public sealed partial class FolderDependencyTests
{
    private static readonly string LibraryRoot = Path.Combine(TestPaths.RepositoryRoot, "src", "Vouch");

    [GeneratedRegex(@"\bVouch\.([A-Z][A-Za-z]*)\b")]
    private static partial Regex FolderReference();

    [GeneratedRegex(@"\bVouch\.Dns\.([A-Z][A-Za-z]*)\b")]
    private static partial Regex DnsPartReference();

    /// <summary>Each top-level folder of src/Vouch and the other top-level folders its files name.</summary>
    private static Dictionary<string, SortedSet<string>> Graph()
    {
        var folders = Directory.GetDirectories(LibraryRoot).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToHashSet(StringComparer.Ordinal)!;
        var graph = folders.ToDictionary(f => f!, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(LibraryRoot, folder!), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match match in FolderReference().Matches(File.ReadAllText(file)))
                {
                    var used = match.Groups[1].Value;
                    if (used != folder && folders.Contains(used))
                    {
                        graph[folder!].Add(used);
                    }
                }
            }
        }

        return graph;
    }

    [Fact]
    public void NoFolderUsesAFolderThatUsesItBackDirectlyOrThroughOthers()
    {
        var graph = Graph();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path; true: done
        var path = new List<string>();

        string? Cycle(string folder)
        {
            if (state.TryGetValue(folder, out var done))
            {
                return done ? null : string.Join(" -> ", path.SkipWhile(f => f != folder).Append(folder));
            }

            state[folder] = false;
            path.Add(folder);
            foreach (var used in graph[folder])
            {
                if (Cycle(used) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[folder] = true;
            return null;
        }

        foreach (var folder in graph.Keys)
        {
            Assert.Null(Cycle(folder));
        }
    }

    [Theory]
    [InlineData("Network")]
    [InlineData("Dns")]
    [InlineData("Smtp")]
    [InlineData("Spf")]
    [InlineData("Registration")]
    [InlineData("Rmx")]
    [InlineData("Lists")]
    [InlineData("Text")]
    public void AFeatureFolderKnowsNeitherThePolicyNorTheOrchestrationNorTheConfiguration(string folder)
    {
        var used = Graph()[folder];

        Assert.DoesNotContain("Policy", used);
        Assert.DoesNotContain("Checks", used);
        Assert.DoesNotContain("Configuration", used);
        Assert.DoesNotContain("Headers", used);
    }

    /// <summary>
    /// Inside Dns/ (a namespace Vouch.Dns.X counts as the folder Dns above): the seam (the files of Dns/ itself)
    /// knows none of its parts; the wire and the zones know no other part; the cache knows the wire only for its counters.
    /// </summary>
    [Fact]
    public void TheDnsSeamKnowsNoneOfItsPartsAndThePartsOneAnotherOnlyFromTheCacheToTheWire()
    {
        var dns = Path.Combine(LibraryRoot, "Dns");
        var parts = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal) { ["(seam)"] = [] };
        foreach (var file in Directory.EnumerateFiles(dns, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(dns, file);
            var part = relative.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) ? relative.Split(Path.DirectorySeparatorChar)[0] : "(seam)";
            if (part is "bin" or "obj")
            {
                continue;
            }

            var used = parts.TryGetValue(part, out var set) ? set : parts[part] = [];
            foreach (Match match in DnsPartReference().Matches(File.ReadAllText(file)))
            {
                if (match.Groups[1].Value != part)
                {
                    used.Add(match.Groups[1].Value);
                }
            }
        }

        Assert.Equal(
            ["(seam): ", "Caching: Wire", "Wire: ", "Zones: "],
            parts.Select(p => $"{p.Key}: {string.Join(", ", p.Value)}"));
    }

    [Fact]
    public void ThePolicyNeverAsksDns()
    {
        Assert.DoesNotContain("Dns", Graph()["Policy"]);
    }

    [Fact]
    public void UntrustedTextStandsOnNothingAndNothingInTheEngineWritesHeaders()
    {
        var graph = Graph();

        Assert.Empty(graph["Text"]);
        Assert.All(graph.Where(folder => folder.Key != "Headers"), folder => Assert.DoesNotContain("Headers", folder.Value));
    }
}
