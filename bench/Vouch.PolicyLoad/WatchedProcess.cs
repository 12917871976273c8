using System.Globalization;

namespace Vouch.PolicyLoad;

/// <summary>
/// A process watched through Linux's /proc (the policy server, or this client): resident memory now (VmRSS)
/// and at its peak (VmHWM), and CPU time used (utime + stime). Readings of a process that is gone, or of a
/// system without /proc, are null.
/// </summary>
internal sealed class WatchedProcess(int pid)
{

    /// <summary>The process id.</summary>
    public int Pid { get; } = pid;

    /// <summary>VmRSS and VmHWM in MiB.</summary>
    public (double Rss, double Hwm)? Memory()
    {
        try
        {
            double? rss = null;
            double? hwm = null;
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kibibytes(line) / 1024.0;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kibibytes(line) / 1024.0;
                }
            }

            return rss is { } r && hwm is { } h ? (r, h) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>CPU time used so far, user and system, all threads.</summary>
    public TimeSpan? CpuTime()
    {
        try
        {
            // The command name (field 2) is in parentheses and may hold spaces; the fields after the last ')'
            // start at field 3, so utime (14) and stime (15) are the 12th and 13th of them.
            var text = File.ReadAllText($"/proc/{Pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / MachineCpu.ClockTicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Kibibytes(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
}
