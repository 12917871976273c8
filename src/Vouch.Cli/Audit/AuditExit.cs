using Vouch.Audit;

namespace Vouch.Cli.Audit;

/// <summary>
/// The exit code of <c>vouch audit</c>, for CI: 0 every audited server white and no error; 1 errors (or warnings,
/// with <c>--fail-on warn</c>); 3 incomplete: DNS trouble kept the audit from deciding and nothing else failed.
/// (2, wrong input, is the command line's, as everywhere in vouch.)
/// </summary>
internal static class AuditExit
{
    /// <summary>What findings make the audit fail.</summary>
    public enum FailOn
    {
        /// <summary>Errors, and servers that are not white (the default).</summary>
        Error,

        /// <summary>Warnings too.</summary>
        Warn,

        /// <summary>Nothing: 0 unless the audit is incomplete.</summary>
        Never,
    }

    /// <summary>The exit code of <paramref name="report"/> under <paramref name="failOn"/>.</summary>
    public static int Of(AuditReport report, FailOn failOn)
    {
        var errors = report.Of(FindingSeverity.Error).Any() || !report.AllWhite && !report.Of(FindingSeverity.TestError).Any();
        if (failOn != FailOn.Never && errors)
        {
            return ExitCodes.Findings;
        }

        if (report.Of(FindingSeverity.TestError).Any())
        {
            return ExitCodes.Incomplete;
        }

        return failOn == FailOn.Warn && report.Of(FindingSeverity.Warn).Any() ? ExitCodes.Findings : ExitCodes.Success;
    }
}
