using System.Text;
using Vouch.Text;

namespace Vouch.Server;

/// <summary>
/// Reads policy requests from a stream: lines of <c>name=value</c> ended by LF, a request ended by an empty
/// line (SMTPD_POLICY_README). Bounded: a request larger than <see cref="MaxRequestBytes"/> or a line without
/// '=' is a <see cref="PolicyProtocolException"/>, and the caller closes the connection.
/// </summary>
public sealed class PolicyRequestReader(Stream stream, int maxRequestBytes = 16 * 1024)
{
    private readonly byte[] buffer = new byte[4096];
    private readonly Dictionary<string, string> previousValues = new(StringComparer.Ordinal);
    private int start;
    private int end;

    /// <summary>The largest request accepted, in bytes. Default 16 KiB (a Postfix request is well under 1 KiB).</summary>
    public int MaxRequestBytes { get; } = maxRequestBytes;

    // The attribute names Postfix 3.x sends (SMTPD_POLICY_README): read into these strings, not new ones.
    private static readonly HashSet<string> KnownNames = new(StringComparer.Ordinal)
    {
        "request", "protocol_state", "protocol_name", "helo_name", "queue_id", "sender", "recipient", "recipient_count",
        "client_address", "client_name", "client_port", "reverse_client_name", "instance", "sasl_method", "sasl_username",
        "sasl_sender", "size", "ccert_subject", "ccert_issuer", "ccert_fingerprint", "ccert_pubkey_fingerprint",
        "encryption_protocol", "encryption_cipher", "encryption_keysize", "etrn_domain", "stress", "server_address",
        "server_port", "policy_context", "compatibility_level", "mail_version",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownNameLookup = KnownNames.GetAlternateLookup<ReadOnlySpan<char>>();

    private int lineStart;

    /// <summary>Reads the next request; null when the peer closed the connection between requests.</summary>
    /// <exception cref="PolicyProtocolException">The request is malformed, too large, or cut off.</exception>
    public async Task<PolicyRequest?> ReadAsync(CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, string>(32, StringComparer.Ordinal);
        var size = 0;
        while (true)
        {
            var length = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (length < 0)
            {
                return attributes.Count == 0 && size == 0 ? null : throw new PolicyProtocolException("connection closed in the middle of a request");
            }

            size += length + 1;
            if (size > MaxRequestBytes)
            {
                throw new PolicyProtocolException($"request larger than {MaxRequestBytes} bytes");
            }

            if (length == 0)
            {
                if (attributes.Count == 0)
                {
                    continue;
                }

                return new PolicyRequest(attributes);
            }

            // The line stays in the buffer until the next read: name and value are decoded from it directly.
            var line = buffer.AsSpan(lineStart, length);
            var equals = line.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw new PolicyProtocolException($"line without name=value: '{UntrustedText.Excerpt(Encoding.UTF8.GetString(line), 80)}'");
            }

            // Postfix sends each attribute once; a repeated name keeps the last value.
            var name = Name(line[..equals], out var known);
            attributes[name] = Value(name, known, line[(equals + 1)..]);
        }
    }

    private static string Name(ReadOnlySpan<byte> bytes, out bool known)
    {
        Span<char> chars = stackalloc char[32];
        if (bytes.Length <= chars.Length && Ascii.ToUtf16(bytes, chars, out var written) == System.Buffers.OperationStatus.Done &&
            KnownNameLookup.TryGetValue(chars[..written], out var knownName))
        {
            known = true;
            return knownName;
        }

        known = false;
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// The value as text: for an attribute Postfix sends, the string of this connection's previous request
    /// when the bytes are the same (request, protocol_state, the TLS details, empty values: most of a request
    /// repeats), else a new one.
    /// </summary>
    private string Value(string name, bool known, ReadOnlySpan<byte> bytes)
    {
        if (known && previousValues.TryGetValue(name, out var previous) && Ascii.Equals(bytes, previous))
        {
            return previous;
        }

        var value = Encoding.UTF8.GetString(bytes);
        if (known)
        {
            previousValues[name] = value;
        }

        return value;
    }

    /// <summary>The next line's length in bytes (without LF or CRLF), starting at <see cref="lineStart"/>; -1 at the end of the stream.</summary>
    private async ValueTask<int> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                var length = newline - start;
                if (length > 0 && buffer[newline - 1] == '\r')
                {
                    length--;
                }

                lineStart = start;
                start = newline + 1;
                return length;
            }

            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                throw new PolicyProtocolException($"line longer than {buffer.Length} bytes");
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return end == 0 ? -1 : throw new PolicyProtocolException("connection closed in the middle of a line");
            }

            end += read;
        }
    }
}
