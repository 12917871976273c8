using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Vouch.Cli.Rollout;

/// <summary>
/// Writes the one-file HTML report: the summary JSON (the exact text <c>vouch rollout --json</c> prints) embedded
/// in the page, rendered by inlined uPlot. The page needs no network: uPlot's script and style sheet and the
/// page's own are inlined, and it loads no font or image.
/// </summary>
public static class RolloutHtmlReport
{
    private const string TemplateResource = "Vouch.Cli.Rollout.RolloutReport.html";
    private const string PageStyleResource = "Vouch.Cli.Rollout.RolloutReport.css";
    private const string PageScriptResource = "Vouch.Cli.Rollout.RolloutReport.js";
    private const string UPlotScriptResource = "Vouch.Cli.Rollout.uPlot.iife.min.js";
    private const string UPlotStyleResource = "Vouch.Cli.Rollout.uPlot.min.css";

    /// <summary>
    /// Writes the page to <paramref name="destination"/>. Text in the summary comes from SMTP clients (HELO names,
    /// senders) and is treated as hostile: the JSON is embedded with <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>
    /// written as <c>\u003c</c>, <c>\u003e</c> and <c>\u0026</c>, so it cannot end its script element, and the
    /// page puts every string into the document as text, never as markup. The page's content security policy
    /// lets no address be loaded and only its own two scripts (named by their SHA-256) run.
    /// </summary>
    /// <param name="destination">Where the page goes (UTF-8 is expected; the page declares it). Not closed.</param>
    /// <param name="summaryJson">The summary, schema <c>vouch-rollout/1</c>; it must be one valid JSON value.</param>
    /// <param name="cancellationToken">Stops the writing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> or <paramref name="summaryJson"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="summaryJson"/> is not valid JSON.</exception>
    /// <exception cref="InvalidOperationException">An embedded resource is missing or would break the page (a build fault).</exception>
    public static async Task WriteAsync(TextWriter destination, string summaryJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(summaryJson);
        var embeddedJson = EmbeddableJson(summaryJson);

        var template = await ReadResourceAsync(TemplateResource, cancellationToken).ConfigureAwait(false);
        var uPlotStyle = await ReadResourceAsync(UPlotStyleResource, cancellationToken).ConfigureAwait(false);
        var pageStyle = await ReadResourceAsync(PageStyleResource, cancellationToken).ConfigureAwait(false);
        var uPlotScript = await ReadResourceAsync(UPlotScriptResource, cancellationToken).ConfigureAwait(false);
        var pageScript = await ReadResourceAsync(PageScriptResource, cancellationToken).ConfigureAwait(false);
        RequireRawText(uPlotStyle, UPlotStyleResource, "</style");
        RequireRawText(pageStyle, PageStyleResource, "</style");
        RequireRawText(uPlotScript, UPlotScriptResource, "</script", "<!--");
        RequireRawText(pageScript, PageScriptResource, "</script", "<!--");

        var policy = $"default-src 'none'; script-src 'sha256-{Sha256(uPlotScript)}' 'sha256-{Sha256(pageScript)}'; " +
            "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

        // The template is cut at its placeholders once, in order, so nothing inserted is ever searched again.
        var rest = template.AsMemory();
        foreach (var (placeholder, content) in new[]
                 {
                     ("@@CSP@@", policy),
                     ("@@UPLOT_CSS@@", uPlotStyle),
                     ("@@PAGE_CSS@@", pageStyle),
                     ("@@SUMMARY_JSON@@", embeddedJson),
                     ("@@UPLOT_JS@@", uPlotScript),
                     ("@@PAGE_JS@@", pageScript),
                 })
        {
            var at = rest.Span.IndexOf(placeholder, StringComparison.Ordinal);
            if (at < 0)
            {
                throw new InvalidOperationException($"{TemplateResource} lacks the placeholder {placeholder} (or has it out of order)");
            }

            await destination.WriteAsync(rest[..at], cancellationToken).ConfigureAwait(false);
            await destination.WriteAsync(content.AsMemory(), cancellationToken).ConfigureAwait(false);
            rest = rest[(at + placeholder.Length)..];
        }

        await destination.WriteAsync(rest, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The JSON text as it was, with <c>&lt; &gt; &amp;</c> written as \u escapes.</summary>
    /// <remarks>
    /// Valid JSON has those characters only inside strings, where \u003c means the same, so the page reads the
    /// same value. It is validated first: in invalid text (an odd backslash) the rewrite might not be harmless.
    /// </remarks>
    private static string EmbeddableJson(string summaryJson)
    {
        try
        {
            using var document = JsonDocument.Parse(summaryJson);
        }
        catch (JsonException invalid)
        {
            throw new ArgumentException($"the rollout summary is not valid JSON: {invalid.Message}", nameof(summaryJson), invalid);
        }

        var text = new StringBuilder(summaryJson.Length + 64);
        foreach (var character in summaryJson)
        {
            _ = character switch
            {
                '<' => text.Append("\\u003c"),
                '>' => text.Append("\\u003e"),
                '&' => text.Append("\\u0026"),
                _ => text.Append(character),
            };
        }

        return text.ToString();
    }

    private static void RequireRawText(string content, string resource, params string[] forbidden)
    {
        foreach (var text in forbidden)
        {
            if (content.Contains(text, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{resource} contains \"{text}\", which would end or confuse the element it is inlined in");
            }
        }
    }

    // CSP hashes the script's text as the browser holds it: UTF-8, line ends already made LF (ReadResourceAsync).
    private static string Sha256(string script) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));

    private static async Task<string> ReadResourceAsync(string name, CancellationToken cancellationToken)
    {
        await using var stream = typeof(RolloutHtmlReport).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the embedded resource {name} is missing from {typeof(RolloutHtmlReport).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        // The HTML parser turns CR LF and CR into LF, so the text written must already be so for its hash to match.
        return text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
    }
}
