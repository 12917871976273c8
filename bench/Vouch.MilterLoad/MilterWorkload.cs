using System.Text.Json;
using Vouch.PolicyLoad;

namespace Vouch.MilterLoad;

/// <summary>
/// The SMTP sessions to replay: one workload line (client address, HELO name, MAIL FROM) per transaction;
/// transaction number n uses line n mod <see cref="Count"/>, so the first pass over the lines is the cold one
/// and every later pass repeats it. The same file bench/Vouch.PolicyLoad reads.
/// </summary>
internal sealed class MilterWorkload
{
    private readonly WorkloadLine[] lines;

    private MilterWorkload(WorkloadLine[] lines) => this.lines = lines;

    /// <summary>Workload lines: the length of one pass, and of the cold pass.</summary>
    public int Count => lines.Length;

    /// <summary>The line transaction <paramref name="number"/> replays.</summary>
    public WorkloadLine this[long number] => lines[(int)(number % lines.Length)];

    /// <summary>Reads JSON Lines <c>{"ip","sender","helo"}</c> from <paramref name="path"/>; blank lines are skipped.</summary>
    /// <exception cref="InvalidDataException">A line is not such an object, or the file has no lines.</exception>
    public static async Task<MilterWorkload> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var lines = new List<WorkloadLine>();
        var number = 0;
        foreach (var text in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            number++;
            if (text.Trim().Length > 0)
            {
                lines.Add(Parse(text) ?? throw new InvalidDataException($"{path}:{number}: expected {{\"ip\": …, \"sender\": …, \"helo\": …}}"));
            }
        }

        return lines.Count > 0 ? new MilterWorkload([.. lines]) : throw new InvalidDataException($"{path}: no workload lines");
    }

    private static WorkloadLine? Parse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("ip", out var ip) && ip.ValueKind == JsonValueKind.String
                && root.TryGetProperty("helo", out var helo) && helo.ValueKind == JsonValueKind.String
                ? new WorkloadLine(ip.GetString()!, root.TryGetProperty("sender", out var sender) && sender.ValueKind == JsonValueKind.String ? sender.GetString()! : "", helo.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
