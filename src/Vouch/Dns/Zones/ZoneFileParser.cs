namespace Vouch.Dns.Zones;

/// <summary>
/// Reads RFC 1035 §5 master files (zone files) into records.
/// </summary>
/// <remarks>
/// <para>
/// Understood: the <c>$ORIGIN</c> and <c>$TTL</c> directives (<c>$INCLUDE</c> is refused); owner names that
/// are absolute (ending in a dot), relative to the origin, <c>@</c> for the origin, or left blank to repeat the
/// previous owner; a TTL and the class IN in either order before the type; TTLs in seconds or BIND units
/// (<c>1w</c>, <c>1d</c>, <c>2h30m</c>, <c>90s</c>); parentheses continuing an entry over lines; <c>;</c> comments;
/// quoted strings; <c>\DDD</c> and <c>\X</c> escapes, whose octets are read as UTF-8 (an invalid sequence
/// becomes U+FFFD).
/// </para>
/// <para>
/// Record types: A, AAAA, MX, TXT, SPF, PTR, CNAME, NS and SOA, with RDATA typed as
/// <see cref="ResourceRecord.Data"/> describes. Names come out lower case (ASCII only), absolute, without the
/// trailing dot, "" for the root; a <c>*</c> label is kept as written. An escaped dot or backslash inside a
/// label stays escaped (<c>\.</c>, <c>\\</c>), as in an SOA mailbox like <c>john\.doe.example.</c>.
/// </para>
/// <para>
/// A record without a TTL takes the last <c>$TTL</c>; without one, the previous record's TTL; for a first
/// record that is an SOA, its own MINIMUM field; otherwise 3600 seconds.
/// </para>
/// </remarks>
public static class ZoneFileParser
{
    /// <summary>Parses zone-file text.</summary>
    /// <param name="text">The file's content.</param>
    /// <param name="fileName">The name given in error messages.</param>
    /// <param name="defaultOrigin">
    /// The origin before any <c>$ORIGIN</c> line, with or without the trailing dot ("" or "." for the root);
    /// null means a relative name or <c>@</c> before the first <c>$ORIGIN</c> is an error.
    /// </param>
    /// <returns>
    /// The records in file order, and the origins: <paramref name="defaultOrigin"/>, each <c>$ORIGIN</c> and
    /// each SOA owner, normalized and without repeats.
    /// </returns>
    /// <exception cref="ZoneFileException">
    /// The text has an error; <see cref="ZoneFileException.Line"/> is the 1-based line of the offending field.
    /// </exception>
    public static ZoneFileContent Parse(string text, string fileName, string? defaultOrigin)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var origin = defaultOrigin is null ? null : DnsName.Normalize(defaultOrigin);
        return new ZoneFileReader(text, fileName, origin).Read();
    }
}
