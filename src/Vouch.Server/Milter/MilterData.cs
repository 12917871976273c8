using System.Buffers.Binary;
using System.Text;

namespace Vouch.Server.Milter;

/// <summary>
/// Reads the data of MTA packets: NUL-terminated strings back to back, and the connect packet's host name,
/// family, port and address. Lenient: a missing NUL ends the string at the packet's end, bytes that are not
/// UTF-8 become U+FFFD, a short packet gives what it holds.
/// </summary>
public static class MilterData
{
    /// <summary>The strings of <paramref name="data"/>, each up to its NUL.</summary>
    public static List<string> Strings(ReadOnlySpan<byte> data)
    {
        var strings = new List<string>(4);
        while (data.Length > 0)
        {
            var nul = data.IndexOf((byte)0);
            var end = nul < 0 ? data.Length : nul;
            strings.Add(Encoding.UTF8.GetString(data[..end]));
            data = nul < 0 ? [] : data[(nul + 1)..];
        }

        return strings;
    }

    /// <summary>The first string of <paramref name="data"/>, or "" when it holds none.</summary>
    public static string FirstString(ReadOnlySpan<byte> data)
    {
        var nul = data.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? data : data[..nul]);
    }

    /// <summary>
    /// SMFIC_CONNECT: "hostname\0", a family byte ('4', '6', 'L' for a UNIX socket, 'U' unknown), then for the
    /// first three a 16-bit port and "address\0". The address is "" when the packet does not carry one.
    /// </summary>
    public static (string HostName, char Family, ushort Port, string Address) Connect(ReadOnlySpan<byte> data)
    {
        var nul = data.IndexOf((byte)0);
        var hostName = Encoding.UTF8.GetString(nul < 0 ? data : data[..nul]);
        var rest = nul < 0 ? [] : data[(nul + 1)..];
        if (rest.Length == 0)
        {
            return (hostName, 'U', 0, "");
        }

        var family = (char)rest[0];
        if (family == 'U' || rest.Length < 3)
        {
            return (hostName, family, 0, "");
        }

        return (hostName, family, BinaryPrimitives.ReadUInt16BigEndian(rest[1..]), FirstString(rest[3..]));
    }
}
