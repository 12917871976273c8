using System.Net;
using System.Text;
using Vouch.Network;

namespace Vouch.Dns.Wire;

/// <summary>
/// Decodes, for the <see cref="DnsReplyReader"/>, the RDATA of the types the resolver asks for that holds no
/// names, so needs nothing but its own octets: TXT and APL. Every read is bounds-checked.
/// </summary>
internal static class DnsRdataReader
{
    /// <summary>TXT RDATA (RFC 1035 §3.3.14): one or more character-strings, each decoded as UTF-8; null when a string runs past the RDATA.</summary>
    public static TxtRecord? ReadTxt(ReadOnlySpan<byte> rdata)
    {
        var count = 0;
        for (var at = 0; at < rdata.Length; at += 1 + rdata[at])
        {
            count++;
        }

        var strings = new string[count];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var length = rdata[offset];
            if (offset + 1 + length > rdata.Length)
            {
                return null;
            }

            strings[i] = Encoding.UTF8.GetString(rdata.Slice(offset + 1, length));
            offset += 1 + length;
        }

        return new TxtRecord(strings);
    }

    /// <summary>
    /// APL RDATA (RFC 3123 §4): items of ADDRESSFAMILY (16 bits), PREFIX (8), N and AFDLENGTH (1 + 7),
    /// and AFDPART with its trailing zero octets left out. A malformed record gives null (it is skipped).
    /// </summary>
    public static AplItem[]? ReadAplItems(ReadOnlySpan<byte> data)
    {
        var items = new List<AplItem>();
        var position = 0;
        while (position < data.Length)
        {
            if (position + 4 > data.Length)
            {
                return null;
            }

            var family = (data[position] << 8) | data[position + 1];
            var prefixLength = data[position + 2];
            var negated = (data[position + 3] & 0x80) != 0;
            var length = data[position + 3] & 0x7F;
            var width = family == 1 ? 4 : family == 2 ? 16 : 0;
            if (width == 0 || length > width || position + 4 + length > data.Length || prefixLength > width * 8)
            {
                return null;
            }

            var address = new byte[width];
            data.Slice(position + 4, length).CopyTo(address);
            items.Add(new AplItem(negated, new AddressPrefix(new IPAddress(address), prefixLength)));
            position += 4 + length;
        }

        return [.. items];
    }
}
