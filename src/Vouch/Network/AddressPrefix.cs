using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Vouch.Network;

/// <summary>
/// An IP network written as address/prefix-length. Unlike <see cref="IPNetwork"/>, host bits in the address
/// are allowed (SPF's "ip4:192.0.2.1/24" means 192.0.2.0/24). Matching is on the first <see cref="PrefixLength"/> bits.
/// </summary>
public readonly struct AddressPrefix : IEquatable<AddressPrefix>
{
    private readonly UInt128 bits;
    private readonly UInt128 mask;

    /// <summary>Creates a prefix. IPv4-mapped IPv6 addresses are kept as IPv6.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length exceeds 32 (IPv4) or 128 (IPv6), or is negative.</exception>
    public AddressPrefix(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        var width = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, width);
        Address = address;
        PrefixLength = prefixLength;
        mask = prefixLength == 0 ? UInt128.Zero : UInt128.MaxValue << (width - prefixLength);
        if (width == 32)
        {
            mask &= uint.MaxValue;
        }

        bits = ToInteger(address) & mask;
    }

    /// <summary>The address as written.</summary>
    public IPAddress Address { get; }

    /// <summary>How many leading bits must match.</summary>
    public int PrefixLength { get; }

    /// <summary>The address family; an address of the other family never matches.</summary>
    public AddressFamily Family => Address.AddressFamily;

    /// <summary>True when <paramref name="address"/> is of the same family and its leading bits match.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == Address.AddressFamily && (ToInteger(address) & mask) == bits;
    }

    /// <summary>Reads "address" or "address/length" (strict address forms, see <see cref="IPAddressText"/>); the address alone means a single host.</summary>
    public static bool TryParse(string? text, out AddressPrefix prefix)
    {
        prefix = default;
        return text is not null && TryParse(text, out prefix, out _);
    }

    /// <summary>
    /// Reads "address/length" or a single address (a /32 or /128), saying what is wrong when it cannot. The
    /// address is read by <see cref="IPAddressText"/>, which refuses the odd forms <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
    /// accepts; the length is decimal digits, 0 to the address's width. Host bits may be set.
    /// </summary>
    /// <param name="text">The network as written.</param>
    /// <param name="prefix">The network, when the result is true.</param>
    /// <param name="problem">What is wrong and what was expected, naming the text; "" when the result is true.</param>
    /// <returns>True when the text is an address or network.</returns>
    public static bool TryParse(string text, out AddressPrefix prefix, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        prefix = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddressText.TryParse(slash < 0 ? text : text.AsSpan(0, slash), out var parsed) || parsed is not { } address)
        {
            problem = $"'{text}' is not an IP address or network; expected an address (192.0.2.1, 2001:db8::1) or address/length (192.0.2.0/24, 2001:db8::/32)";
            return false;
        }

        var width = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var length = width;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > width))
        {
            problem = $"'{text}' has a bad prefix length; expected /0 to /{width} for an {(width == 32 ? "IPv4" : "IPv6")} network";
            return false;
        }

        prefix = new AddressPrefix(address, length);
        problem = "";
        return true;
    }

    /// <summary>The address as an unsigned integer: 32 bits for IPv4, 128 for IPv6.</summary>
    public static UInt128 ToInteger(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var count);
        return count == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <inheritdoc />
    public bool Equals(AddressPrefix other) => Family == other.Family && bits == other.bits && PrefixLength == other.PrefixLength;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AddressPrefix other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(bits, PrefixLength);

    /// <summary>Equality of network and length.</summary>
    public static bool operator ==(AddressPrefix left, AddressPrefix right) => left.Equals(right);

    /// <summary>Inequality of network or length.</summary>
    public static bool operator !=(AddressPrefix left, AddressPrefix right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => $"{Address}/{PrefixLength}";
}
