using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vouch.PolicyLoad;

/// <summary>
/// The requests to send: one Postfix policy request (SMTPD_POLICY_README, "Protocol description") per
/// workload line, at protocol_state=RCPT, encoded once; request number n uses line n mod
/// <see cref="Count"/>, so the first pass over the lines is the cold one and every later pass repeats it.
/// Each request gets its own <c>instance</c> (prefix, '.', number), since the server keeps one answer per
/// instance and would otherwise answer repeats from that cache instead of checking.
/// </summary>
internal sealed class Workload
{
    // The attributes Postfix 3.x sends at RCPT besides those taken from the workload line, so that the
    // server parses a request of realistic size (about 600 bytes). Empty values are sent as "name=".
    private const string Tail =
        "\nqueue_id=\nsasl_method=\nsasl_username=\nsasl_sender=\nsize=0\nccert_subject=\nccert_issuer=\n" +
        "ccert_fingerprint=\nccert_pubkey_fingerprint=\nencryption_protocol=TLSv1.3\nencryption_cipher=TLS_AES_256_GCM_SHA384\n" +
        "encryption_keysize=256\netrn_domain=\nstress=\nserver_address=192.0.2.25\nserver_port=25\npolicy_context=\n" +
        "compatibility_level=3.6\nmail_version=3.7.11\n\n";

    private readonly byte[][] heads;
    private readonly byte[] instancePrefix;
    private readonly byte[] tail = Encoding.ASCII.GetBytes(Tail);

    private Workload(byte[][] heads, string instancePrefix)
    {
        this.heads = heads;
        this.instancePrefix = Encoding.ASCII.GetBytes(instancePrefix + ".");
        MaxRequestBytes = heads.Max(head => head.Length) + this.instancePrefix.Length + 20 + tail.Length;
    }

    /// <summary>Workload lines: the length of one pass, and of the cold pass.</summary>
    public int Count => heads.Length;

    /// <summary>The longest encoded request, in bytes: the size a send buffer needs.</summary>
    public int MaxRequestBytes { get; }

    /// <summary>Reads JSON Lines <c>{"ip","sender","helo"}</c> from <paramref name="path"/>.</summary>
    /// <param name="path">The workload file; blank lines are skipped.</param>
    /// <param name="instancePrefix">Starts every request's <c>instance</c>; letters, digits, '.' and '-'.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="InvalidDataException">A line is not such an object, or the file has no lines.</exception>
    public static async Task<Workload> LoadAsync(string path, string instancePrefix, CancellationToken cancellationToken)
    {
        var heads = new List<byte[]>();
        var number = 0;
        foreach (var text in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            number++;
            if (text.Trim().Length == 0)
            {
                continue;
            }

            var line = Parse(text) ?? throw new InvalidDataException($"{path}:{number}: expected {{\"ip\": …, \"sender\": …, \"helo\": …}}");
            heads.Add(Encoding.UTF8.GetBytes(
                "request=smtpd_access_policy\nprotocol_state=RCPT\nprotocol_name=ESMTP\n" +
                $"client_address={line.Ip}\nclient_name=unknown\nreverse_client_name=unknown\nhelo_name={line.Helo}\n" +
                $"sender={line.Sender}\nrecipient=user@example.net\nrecipient_count=0\ninstance="));
        }

        return heads.Count > 0 ? new Workload([.. heads], instancePrefix) : throw new InvalidDataException($"{path}: no workload lines");
    }

    /// <summary>Writes request number <paramref name="number"/> into <paramref name="destination"/> and returns its length in bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="MaxRequestBytes"/>.</exception>
    public int Write(long number, Span<byte> destination)
    {
        if (destination.Length < MaxRequestBytes)
        {
            throw new ArgumentException($"needs {MaxRequestBytes} bytes", nameof(destination));
        }

        var head = heads[(int)(number % heads.Length)];
        head.CopyTo(destination);
        var length = head.Length;
        instancePrefix.CopyTo(destination[length..]);
        length += instancePrefix.Length;
        number.TryFormat(destination[length..], out var digits, default, CultureInfo.InvariantCulture);
        length += digits;
        tail.CopyTo(destination[length..]);
        return length + tail.Length;
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
