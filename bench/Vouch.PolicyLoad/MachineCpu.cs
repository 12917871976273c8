using System.Globalization;

namespace Vouch.PolicyLoad;

/// <summary>
/// CPU time the whole machine has spent busy (all cores; everything but idle and I/O wait), from the first
/// line of Linux's /proc/stat. Compared with the server's and the client's own CPU time it shows what else
/// ran during a window (the DNS server, and anything else on the machine that would disturb the numbers).
/// </summary>
internal static class MachineCpu
{
    /// <summary>USER_HZ, the unit of /proc's CPU times: 100 on every Linux architecture .NET runs on.</summary>
    public const double ClockTicksPerSecond = 100;

    /// <summary>Busy CPU time since boot, all cores summed; null without /proc.</summary>
    public static TimeSpan? Busy()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = (reader.ReadLine() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 9 || fields[0] != "cpu")
            {
                return null;
            }

            // cpu user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is already in user.
            long busy = 0;
            foreach (var index in (ReadOnlySpan<int>)[1, 2, 3, 6, 7, 8])
            {
                busy += long.Parse(fields[index], CultureInfo.InvariantCulture);
            }

            return TimeSpan.FromSeconds(busy / ClockTicksPerSecond);
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
}
