using System.Globalization;

namespace Vouch.Cli.Replay;

/// <summary>
/// One log line split into its syslog prefix and message: "TIME HOST TAG[PID]: MESSAGE". TIME is either the
/// traditional "Mmm dd hh:mm:ss" (syslog pads the day with a space, Postfix's own maillog_file writer postlogd
/// with a zero: "Dec 07 00:53:35"; either may add ".ffffff"), which has no year and no offset, or RFC 3339
/// ("2026-12-07T10:00:00.123456+00:00", rsyslog's high-precision format).
/// </summary>
internal readonly record struct SyslogLine(DateTimeOffset Time, string Host, string Tag, int Pid, string Message)
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private static readonly string[] Rfc3339Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>
    /// Splits <paramref name="line"/>; false when it has no syslog prefix. A year-less time is taken in the
    /// year of <paramref name="now"/> (local time of <paramref name="zone"/>), or the year before when that
    /// would put it more than a day after <paramref name="now"/> (a December line read in January).
    /// </summary>
    public static bool TryParse(string line, DateTimeOffset now, TimeZoneInfo zone, out SyslogLine result)
    {
        result = default;
        var span = line.AsSpan();
        int consumed;
        DateTimeOffset time;
        if (span.Length > 0 && char.IsAsciiDigit(span[0]))
        {
            consumed = span.IndexOf(' ');
            if (consumed < 0 || !DateTimeOffset.TryParseExact(span[..consumed], Rfc3339Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time))
            {
                return false;
            }
        }
        else if (!TryParseTraditional(span, now, zone, out time, out consumed))
        {
            return false;
        }

        span = span[(consumed + 1)..];
        var hostEnd = span.IndexOf(' ');
        if (hostEnd <= 0)
        {
            return false;
        }

        var host = span[..hostEnd];
        span = span[(hostEnd + 1)..];
        var open = span.IndexOf('[');
        var close = span.IndexOf("]: ", StringComparison.Ordinal);
        if (open <= 0 || close < open || span[..open].Contains(' ')
            || !int.TryParse(span[(open + 1)..close], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        result = new SyslogLine(time, host.ToString(), span[..open].ToString(), pid, span[(close + 3)..].ToString());
        return true;
    }

    private static bool TryParseTraditional(ReadOnlySpan<char> span, DateTimeOffset now, TimeZoneInfo zone, out DateTimeOffset time, out int consumed)
    {
        // "Dec  7 10:00:00" or "Dec 07 10:00:00", then optionally ".123456".
        time = default;
        consumed = 0;
        if (span.Length < 15 || span[3] != ' ')
        {
            return false;
        }

        var month = Array.IndexOf(Months, span[..3].ToString()) + 1;
        var dayText = span.Slice(4, 2).TrimStart(' ');
        if (month == 0 || span[6] != ' '
            || !int.TryParse(dayText, NumberStyles.None, CultureInfo.InvariantCulture, out var day) || day < 1
            || !TryTwoDigits(span, 7, out var hour) || span[9] != ':' || !TryTwoDigits(span, 10, out var minute)
            || span[12] != ':' || !TryTwoDigits(span, 13, out var second))
        {
            return false;
        }

        consumed = 15;
        var ticks = 0L;
        if (span.Length > 15 && span[15] == '.')
        {
            var digits = span[16..];
            var end = digits.IndexOfAnyExceptInRange('0', '9');
            digits = end < 0 ? digits : digits[..end];
            if (digits.IsEmpty || digits.Length > 7)
            {
                return false;
            }

            ticks = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) * (long)Math.Pow(10, 7 - digits.Length);
            consumed = 16 + digits.Length;
        }

        if (hour > 23 || minute > 59 || second > 59 || span.Length <= consumed || span[consumed] != ' ')
        {
            return false;
        }

        var latest = now.AddDays(1);
        // Feb 29 exists only in leap years: look back until the date exists and is not in the future.
        for (var year = now.Year; year > now.Year - 8; year--)
        {
            if (day > DateTime.DaysInMonth(year, month))
            {
                continue;
            }

            var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
            var candidate = new DateTimeOffset(local, zone.GetUtcOffset(local));
            if (candidate <= latest)
            {
                time = candidate;
                return true;
            }
        }

        return false;
    }

    private static bool TryTwoDigits(ReadOnlySpan<char> span, int at, out int value)
    {
        value = 0;
        if (!char.IsAsciiDigit(span[at]) || !char.IsAsciiDigit(span[at + 1]))
        {
            return false;
        }

        value = ((span[at] - '0') * 10) + (span[at + 1] - '0');
        return true;
    }
}
