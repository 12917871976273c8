using Vouch.Checks;
using Vouch.Configuration;
using Vouch.Dns.Caching;
using Vouch.Dns.Zones;
using Vouch.Registration;

namespace Vouch.Benchmarks;

/// <summary>
/// The bench corpus (../shared/bench-corpus beside the repository, or VOUCH_BENCH_CORPUS): its zones behind
/// the shared cache, as <c>vouch serve</c> and batch mode have the network behind it, and its workload lines.
/// </summary>
internal static class BenchCorpus
{
    /// <summary>The configurations the whole-line benchmarks compare: the default, and bench/compare/mailfrom-only.toml.</summary>
    public const string Default = "default";

    /// <summary>SPF for MAIL FROM only (bench/compare/mailfrom-only.toml).</summary>
    public const string MailFromOnly = "mailfrom-only";

    /// <summary>The repository root: the folder holding Vouch.sln above the running benchmark.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Vouch.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"Vouch.sln not found above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>The corpus folder.</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable("VOUCH_BENCH_CORPUS") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "bench-corpus"));

    /// <summary>The first <paramref name="count"/> lines of the workload, as batch mode reads them.</summary>
    public static string[] WorkloadLines(int count) =>
        [.. File.ReadLines(Path.Combine(Folder, "workload.jsonl")).Where(line => line.Length > 0).Take(count)];

    /// <summary>
    /// A checker for <paramref name="configurationName"/> (trace off, as batch mode and the service run) over
    /// the corpus zones behind a <see cref="CachingResolver"/> whose entries do not expire during a run.
    /// </summary>
    public static async Task<SenderChecker> CreateCheckerAsync(string configurationName)
    {
        var configuration = configurationName switch
        {
            Default => VouchConfiguration.Default,
            MailFromOnly => await ConfigurationLoader.LoadAsync(Path.Combine(RepositoryRoot, "bench", "compare", "mailfrom-only.toml"), CancellationToken.None),
            _ => throw new ArgumentException($"unknown configuration {configurationName}", nameof(configurationName)),
        };
        configuration = configuration with { Checks = configuration.Checks with { CollectTrace = false } };
        var zone = new ZoneData();
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(Folder, "zones.txt")))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2)
            {
                await zone.LoadFileAsync(Path.Combine(Folder, fields[1]), null, CancellationToken.None);
            }
        }

        var cache = new CachingResolver(new ZoneResolver(zone), new DnsCacheOptions { MinimumTtl = TimeSpan.FromDays(1) });
        var suffixes = await PublicSuffixList.LoadAsync(configuration.Registration.PublicSuffixListPath, CancellationToken.None);
        return new SenderChecker(cache, suffixes, configuration);
    }
}
