using Vouch.Dns;

namespace Vouch.Cli;

/// <summary>Builds the resolver a command uses from its --zone options.</summary>
internal static class ResolverFactory
{
    /// <exception cref="UsageException">No zone was given, or a zone file cannot be read or parsed.</exception>
    public static async Task<IDnsResolver> CreateAsync(IReadOnlyList<string> zoneFiles, CancellationToken cancellationToken)
    {
        if (zoneFiles.Count == 0)
        {
            throw new UsageException("no DNS data: give --zone FILE (an RFC 1035 zone file; repeat for several)");
        }

        var data = new ZoneData();
        foreach (var file in zoneFiles)
        {
            try
            {
                await data.LoadFileAsync(file, null, cancellationToken);
            }
            catch (ZoneFileException exception)
            {
                throw new UsageException($"zone file {exception.Message}");
            }
        }

        return new ZoneResolver(data);
    }
}
