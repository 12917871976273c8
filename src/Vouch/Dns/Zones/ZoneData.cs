namespace Vouch.Dns.Zones;

/// <summary>
/// Resource records held in memory, filled from zone files (<see cref="ZoneFileParser"/>) or by code,
/// then served by a <see cref="ZoneResolver"/>. Failures can be injected per name, and per type, so tests
/// can make a name time out or fail. Not thread-safe while being filled; a resolver takes a snapshot.
/// </summary>
public sealed class ZoneData
{
    private readonly List<ResourceRecord> records = [];
    private readonly Dictionary<(string Name, DnsRecordType? Type), DnsStatus> failures = [];
    private readonly HashSet<string> origins = new(StringComparer.Ordinal);

    /// <summary>Every record added so far, in order.</summary>
    public IReadOnlyList<ResourceRecord> Records => records;

    /// <summary>The injected failures: (name, type or null for every type) → status.</summary>
    public IReadOnlyDictionary<(string Name, DnsRecordType? Type), DnsStatus> Failures => failures;

    /// <summary>The origins of the zones loaded (lower case, no trailing dot): the names this data is authoritative for, with everything below them.</summary>
    public IReadOnlyCollection<string> Origins => origins;

    /// <summary>Adds one record. Its name is normalized.</summary>
    public void Add(ResourceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        records.Add(record with { Name = DnsName.Normalize(record.Name) });
    }

    /// <summary>Declares <paramref name="origin"/> a zone this data answers for.</summary>
    public void AddOrigin(string origin) => origins.Add(DnsName.Normalize(origin));

    /// <summary>
    /// Makes every question for <paramref name="name"/> (or only those of <paramref name="type"/>) answer
    /// <paramref name="status"/>, which must be a failure or empty status.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="status"/> is <see cref="DnsStatus.Records"/>.</exception>
    public void InjectFailure(string name, DnsStatus status, DnsRecordType? type = null)
    {
        if (status == DnsStatus.Records)
        {
            throw new ArgumentException("Only a failure or an empty answer can be injected.", nameof(status));
        }

        failures[(DnsName.Normalize(name), type)] = status;
    }

    /// <summary>Reads a zone file and adds its records and origin.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="defaultOrigin">The origin before any $ORIGIN line; null means the file must set one before its first relative name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ZoneFileException">The file cannot be read or has an error; the message names the file and line.</exception>
    public async Task LoadFileAsync(string path, string? defaultOrigin, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ZoneFileException(path, 0, $"cannot read the zone file: {exception.Message}", exception);
        }

        LoadText(text, path, defaultOrigin);
    }

    /// <summary>Parses zone-file text and adds its records and origin.</summary>
    /// <param name="text">The zone file's content.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <param name="defaultOrigin">The origin before any $ORIGIN line.</param>
    /// <exception cref="ZoneFileException">The text has an error; the message names the file and line.</exception>
    public void LoadText(string text, string fileName, string? defaultOrigin = null)
    {
        var parsed = ZoneFileParser.Parse(text, fileName, defaultOrigin);
        foreach (var record in parsed.Records)
        {
            Add(record);
        }

        foreach (var origin in parsed.Origins)
        {
            AddOrigin(origin);
        }
    }
}
