using Vouch.Configuration;
using Vouch.Registration;

namespace Vouch.Cli.Rollout;

/// <summary><c>vouch rollout</c>: reads decision lines and prints the summary as text, JSON or CSV.</summary>
internal static class RolloutRun
{
    /// <summary>The output formats.</summary>
    public enum Format
    {
        /// <summary>For a person.</summary>
        Text,

        /// <summary>Schema "vouch-rollout/1".</summary>
        Json,

        /// <summary>RFC 4180.</summary>
        Csv,
    }

    /// <summary>Reads <paramref name="sources"/> and writes the summary; returns the exit code.</summary>
    /// <exception cref="UsageException">An input or the what-if configuration cannot be read.</exception>
    public static async Task<int> RunAsync(IReadOnlyList<string> sources, string? whatIfConfiguration, Format format, string? htmlPath, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        LogLines.CheckReadable(sources);
        // Opened first: a report that cannot be written is a usage error before the log is read, not after.
        await using var html = htmlPath is null ? null : OpenHtml(htmlPath);
        VouchConfiguration? configuration = null;
        if (whatIfConfiguration is not null)
        {
            try
            {
                configuration = await ConfigurationLoader.LoadAsync(whatIfConfiguration, cancellationToken);
            }
            catch (ConfigurationException exception)
            {
                throw new UsageException($"--config: {exception.Message}");
            }
        }

        var suffixes = await SuffixesAsync(configuration?.Registration.PublicSuffixListPath ?? PublicSuffixList.DefaultPath, cancellationToken);
        var whatIf = configuration is null ? null : new WhatIfComparison(configuration.Policy, configuration.Identity, record => RolloutSummary.OwnerOf(record, suffixes));
        var summary = new RolloutSummary(suffixes, sources, whatIf, TimeProvider.System);
        var lines = new LogLines(input);
        await LogProgress.RunAsync("reading decision lines", LogLines.TotalBytes(sources), () => lines.BytesRead, async () =>
        {
            await foreach (var line in lines.ReadUtf8Async(sources, cancellationToken))
            {
                summary.Add(line.Span);
            }
        });

        var json = summary.ToJson();
        switch (format)
        {
            case Format.Json:
                await output.WriteLineAsync(json);
                break;
            case Format.Csv:
                RolloutText.WriteCsv(output, json);
                break;
            default:
                RolloutText.Write(output, json);
                break;
        }

        if (html is not null)
        {
            await RolloutHtmlReport.WriteAsync(html, json, cancellationToken);
        }

        return ExitCodes.Success;
    }

    private static StreamWriter OpenHtml(string path)
    {
        try
        {
            return new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"--html: cannot write {path}: {e.Message}");
        }
    }

    /// <summary>The Public Suffix List for organisational domains; without it, every name's last two labels.</summary>
    private static async Task<PublicSuffixList> SuffixesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await PublicSuffixList.LoadAsync(path, cancellationToken);
        }
        catch (PublicSuffixListException)
        {
            return PublicSuffixList.Parse("");
        }
    }
}
