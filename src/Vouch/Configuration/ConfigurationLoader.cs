using System.Collections.Frozen;
using System.Security;
using Tomlyn.Parsing;
using Vouch.Lists;
using Vouch.Policy;

namespace Vouch.Configuration;

/// <summary>
/// Reads Vouch's TOML configuration file (docs/configuration.md) into a <see cref="VouchConfiguration"/>.
/// Reading is strict: an unknown key or table, a wrong type, a number out of range, an unknown word or a malformed
/// address, network, domain or status code is an error naming the file, line and dotted key, and what was expected.
/// Anything not set keeps the default of its option type; an empty file gives <see cref="VouchConfiguration.Default"/>.
/// Which keys each table has, and how each is read, is <see cref="ConfigurationSchema"/>'s.
/// </summary>
public static class ConfigurationLoader
{
    /// <summary>Reads configuration text.</summary>
    /// <param name="text">The TOML text.</param>
    /// <param name="fileName">The file name to give in messages.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigurationException">The text is not valid TOML, or a setting is unknown or bad.</exception>
    public static VouchConfiguration Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var document = SyntaxParser.Parse(text, fileName, validate: true);
        if (document.HasErrors)
        {
            var errors = document.Diagnostics.Where(d => d.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error).ToList();
            var more = errors.Count > 1 ? $" (and {errors.Count - 1} more {(errors.Count == 2 ? "error" : "errors")})" : "";
            throw new ConfigurationException(fileName, Math.Max(errors[0].Span.Start.Line, 0) + 1, "", $"not valid TOML: {errors[0].Message}{more}");
        }

        return Read(new TableReader(fileName, ConfigTreeBuilder.Build(document, fileName), ConfigurationSchema.Top)) with { Identity = VouchConfiguration.IdentityOf(text) };
    }

    /// <summary>Reads a configuration file (UTF-8).</summary>
    /// <param name="path">The file's path, also used as its name in messages.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ConfigurationException">The file cannot be read (line 0), is not valid TOML, or a setting is unknown or bad.</exception>
    /// <exception cref="OperationCanceledException">The read was cancelled.</exception>
    public static async Task<VouchConfiguration> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException or ArgumentException or NotSupportedException)
        {
            throw new ConfigurationException(path, 0, "", $"cannot read the file: {e.Message}", e);
        }

        return Parse(text, path);
    }

    private static VouchConfiguration Read(TableReader root)
    {
        var deprecations = new List<string>();
        var configuration = ReadKeys(root, root, VouchConfiguration.Default, deprecations);
        var tables = new Dictionary<ConfigurationSection, TableReader>();
        foreach (var section in ConfigurationSchema.Top.Tables)
        {
            tables[section] = root.Table(section);
            configuration = ReadKeys(tables[section], root, configuration, deprecations);
        }

        CheckTtlBounds(tables[ConfigurationSchema.Cache], configuration);
        configuration = ReadDnsLists(tables[ConfigurationSchema.Lists], configuration);
        return configuration with
        {
            Policy = configuration.Policy with { Rules = PolicyTableReader.ReadRules(tables[ConfigurationSchema.Policy]) },
            Deprecations = OrEmpty(deprecations),
        };
    }

    // A key kept in its old table still works, noted as deprecated; given in its new table too, it is an error.
    private static VouchConfiguration ReadKeys(TableReader table, TableReader root, VouchConfiguration configuration, List<string> deprecations)
    {
        foreach (var key in table.Section.Keys)
        {
            if (key.MovedTo is { } movedTo && table.Has(key.Name))
            {
                var current = root.Table(ConfigurationSchema.Top.Tables.Single(section => section.Path == movedTo));
                if (current.Has(key.Name))
                {
                    throw table.Error(key.Name, $"is given in {current.Section.Header} too (line {current.LineOf(key.Name)}); {table.Section.Header} {key.Name} is deprecated: remove it and keep {current.Section.Header} {key.Name}");
                }

                deprecations.Add($"{table.Where(key.Name)}: {table.Section.Header} {key.Name} is deprecated; use {current.Section.Header} {key.Name}");
            }

            configuration = key.Read?.Invoke(table, configuration) ?? configuration;
        }

        return configuration;
    }

    private static void CheckTtlBounds(TableReader cache, VouchConfiguration configuration)
    {
        var (minimum, maximum) = ((int)configuration.Cache.MinimumTtl.TotalSeconds, (int)configuration.Cache.MaximumTtl.TotalSeconds);
        if (minimum > maximum)
        {
            throw cache.Error(cache.Has("min_ttl_seconds") ? "min_ttl_seconds" : "max_ttl_seconds", $"min_ttl_seconds ({minimum}) is more than max_ttl_seconds ({maximum})");
        }
    }

    // A DNS list's action is the policy's: the list finds, the block_listed row decides what a listing does.
    private static VouchConfiguration ReadDnsLists(TableReader lists, VouchConfiguration configuration)
    {
        var dnsLists = new List<DnsListDefinition>();
        var listActions = new Dictionary<string, PolicyAction>(StringComparer.Ordinal);
        foreach (var list in lists.TableList(ConfigurationSchema.DnsLists) ?? [])
        {
            var definition = ReadDnsList(list);
            if (dnsLists.Find(d => d.Name == definition.Name) is not null)
            {
                throw list.Error("name", $"'{definition.Name}' names another DNS list too; each needs its own name for logs and reasons");
            }

            dnsLists.Add(definition);
            listActions[definition.Name] = list.Word("action", PolicyAction.Reject, ConfigurationWords.Actions);
        }

        return listActions.Count == 0 ? configuration : configuration with
        {
            Lists = configuration.Lists with { DnsLists = dnsLists },
            Policy = configuration.Policy with { ListActions = listActions.ToFrozenDictionary(StringComparer.Ordinal) },
        };
    }

    private static DnsListDefinition ReadDnsList(TableReader list) => new(
        Name: list.RequiredString("name"),
        Zone: list.RequiredString<string>("zone", "the list's DNS zone, such as zen.dnsbl.example", DomainNameText.TryParse),
        Kind: list.RequiredWord("type", ConfigurationWords.ListKinds),
        ListedAnswers: list.StringList("listed", DnsListDefinition.DefaultListedAnswers, SettingText.TryParseIPv4Network),
        ErrorAnswers: list.StringList("errors", DnsListDefinition.DefaultErrorAnswers, SettingText.TryParseIPv4Network));

    // The shared empty list when nothing is listed, so a file without lists equals the defaults.
    private static T[] OrEmpty<T>(IEnumerable<T> items) => items.ToArray() is { Length: > 0 } array ? array : [];
}
