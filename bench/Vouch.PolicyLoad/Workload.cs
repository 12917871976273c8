using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vouch.PolicyLoad;

/// <summary>
/// The requests to send: one Postfix policy request (SMTPD_POLICY_README, "Protocol description") per
/// workload line, at protocol_state=RCPT, encoded once; request number n uses line n mod
/// <see cref="Count"/>, so the first pass over the lines is the cold one and every later pass repeats it.
/// Each request gets its own <c>instance</c> (prefix, '.', number), since the server keeps one answer per
/// instance and would otherwise answer repeats from that cache instead of checking. A message's later
/// requests (<see cref="MessageStep.Data"/>, <see cref="MessageStep.EndOfMessage"/>) carry the same instance,
/// one recipient and a queue id, as Postfix sends them after a RCPT it accepted.
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

    // DATA and END-OF-MESSAGE name the message's queue id ("Q" and the request number) before the same tail.
    private const string QueueIdField = "\nqueue_id=Q";

    private readonly byte[][][] heads;
    private readonly byte[] instancePrefix;
    private readonly byte[] tail = Encoding.ASCII.GetBytes(Tail);
    private readonly byte[] queuedTail = Encoding.ASCII.GetBytes(Tail[Tail.IndexOf("\nsasl_method=", StringComparison.Ordinal)..]);
    private readonly byte[] queueIdField = Encoding.ASCII.GetBytes(QueueIdField);

    private Workload(byte[][][] heads, string instancePrefix)
    {
        this.heads = heads;
        this.instancePrefix = Encoding.ASCII.GetBytes(instancePrefix + ".");
        MaxRequestBytes = heads.SelectMany(step => step).Max(head => head.Length) + this.instancePrefix.Length + 20 + queueIdField.Length + 20 + tail.Length;
    }

    /// <summary>Workload lines: the length of one pass, and of the cold pass.</summary>
    public int Count => heads[0].Length;

    /// <summary>The longest encoded request, in bytes: the size a send buffer needs.</summary>
    public int MaxRequestBytes { get; }

    /// <summary>Reads JSON Lines <c>{"ip","sender","helo"}</c> from <paramref name="path"/>.</summary>
    /// <param name="path">The workload file; blank lines are skipped.</param>
    /// <param name="instancePrefix">Starts every request's <c>instance</c>; letters, digits, '.' and '-'.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="InvalidDataException">A line is not such an object, or the file has no lines.</exception>
    public static async Task<Workload> LoadAsync(string path, string instancePrefix, CancellationToken cancellationToken)
    {
        var heads = new List<byte[]>[] { [], [], [] };
        var number = 0;
        foreach (var text in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            number++;
            if (text.Trim().Length == 0)
            {
                continue;
            }

            var line = Parse(text) ?? throw new InvalidDataException($"{path}:{number}: expected {{\"ip\": …, \"sender\": …, \"helo\": …}}");
            foreach (var step in Enum.GetValues<MessageStep>())
            {
                var (state, recipients) = step switch
                {
                    MessageStep.Rcpt => ("RCPT", 0),
                    MessageStep.Data => ("DATA", 1),
                    _ => ("END-OF-MESSAGE", 1),
                };
                heads[(int)step].Add(Encoding.UTF8.GetBytes(
                    $"request=smtpd_access_policy\nprotocol_state={state}\nprotocol_name=ESMTP\n" +
                    $"client_address={line.Ip}\nclient_name=unknown\nreverse_client_name=unknown\nhelo_name={line.Helo}\n" +
                    $"sender={line.Sender}\nrecipient=user@example.net\nrecipient_count={recipients}\ninstance="));
            }
        }

        return heads[0].Count > 0 ? new Workload([.. heads.Select(step => step.ToArray())], instancePrefix) : throw new InvalidDataException($"{path}: no workload lines");
    }

    /// <summary>Writes the RCPT request of number <paramref name="number"/> into <paramref name="destination"/> and returns its length in bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="MaxRequestBytes"/>.</exception>
    public int Write(long number, Span<byte> destination) => Write(number, MessageStep.Rcpt, destination);

    /// <summary>Writes the <paramref name="step"/> request of message number <paramref name="number"/> into <paramref name="destination"/> and returns its length in bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="MaxRequestBytes"/>.</exception>
    public int Write(long number, MessageStep step, Span<byte> destination)
    {
        if (destination.Length < MaxRequestBytes)
        {
            throw new ArgumentException($"needs {MaxRequestBytes} bytes", nameof(destination));
        }

        var lines = heads[(int)step];
        var head = lines[(int)(number % lines.Length)];
        head.CopyTo(destination);
        var length = head.Length;
        instancePrefix.CopyTo(destination[length..]);
        length += instancePrefix.Length;
        number.TryFormat(destination[length..], out var digits, default, CultureInfo.InvariantCulture);
        length += digits;
        if (step == MessageStep.Rcpt)
        {
            tail.CopyTo(destination[length..]);
            return length + tail.Length;
        }

        queueIdField.CopyTo(destination[length..]);
        length += queueIdField.Length;
        number.TryFormat(destination[length..], out digits, default, CultureInfo.InvariantCulture);
        length += digits;
        queuedTail.CopyTo(destination[length..]);
        return length + queuedTail.Length;
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
