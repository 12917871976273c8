using System.Text;

namespace Vouch.Server;

/// <summary>
/// Reads policy requests from a stream: lines of <c>name=value</c> ended by LF, a request ended by an empty
/// line (SMTPD_POLICY_README). Bounded: a request larger than <see cref="MaxRequestBytes"/> or a line without
/// '=' is a <see cref="PolicyProtocolException"/>, and the caller closes the connection.
/// </summary>
public sealed class PolicyRequestReader(Stream stream, int maxRequestBytes = 16 * 1024)
{
    private readonly byte[] buffer = new byte[4096];
    private int start;
    private int end;

    /// <summary>The largest request accepted, in bytes. Default 16 KiB (a Postfix request is well under 1 KiB).</summary>
    public int MaxRequestBytes { get; } = maxRequestBytes;

    /// <summary>Reads the next request; null when the peer closed the connection between requests.</summary>
    /// <exception cref="PolicyProtocolException">The request is malformed, too large, or cut off.</exception>
    public async Task<PolicyRequest?> ReadAsync(CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var size = 0;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                return attributes.Count == 0 && size == 0 ? null : throw new PolicyProtocolException("connection closed in the middle of a request");
            }

            size += line.Length + 1;
            if (size > MaxRequestBytes)
            {
                throw new PolicyProtocolException($"request larger than {MaxRequestBytes} bytes");
            }

            if (line.Length == 0)
            {
                if (attributes.Count == 0)
                {
                    continue;
                }

                return new PolicyRequest(attributes);
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new PolicyProtocolException($"line without name=value: '{Printable(line)}'");
            }

            // Postfix sends each attribute once; a repeated name keeps the last value.
            attributes[line[..equals]] = line[(equals + 1)..];
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
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

                var line = Encoding.UTF8.GetString(buffer, start, length);
                start = newline + 1;
                return line;
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
                return end == 0 ? null : throw new PolicyProtocolException("connection closed in the middle of a line");
            }

            end += read;
        }
    }

    private static string Printable(string text) =>
        new([.. text.Take(80).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
}
