namespace Vouch.DecisionLog;

/// <summary>
/// Reads the lines of one decision log, one after another: like <see cref="DecisionRecordJson.TryParse(string, out DecisionRecord?, out string)"/>,
/// but the values its lines repeat (results, domains, rules, reasons) are made once and shared. Not thread-safe.
/// </summary>
public sealed class DecisionLogReader
{
    private readonly DecisionLineReader reader = new();

    /// <summary>Reads one decision-log line; see <see cref="DecisionRecordJson.TryParse(string, out DecisionRecord?, out string)"/>.</summary>
    public bool TryParse(string line, out DecisionRecord? record, out string problem) => DecisionRecordJson.TryParse(line, reader, out record, out problem);

    /// <summary>Reads one decision-log line given as UTF-8 bytes.</summary>
    public bool TryParse(ReadOnlySpan<byte> line, out DecisionRecord? record, out string problem) => DecisionRecordJson.TryParse(line, reader, out record, out problem);
}
