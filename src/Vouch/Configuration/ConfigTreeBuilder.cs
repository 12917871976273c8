using Tomlyn.Syntax;

namespace Vouch.Configuration;

/// <summary>
/// Turns Tomlyn's syntax tree, whose tables are a flat list of headers, into one tree of tables, arrays and values
/// that remembers each key's line. Dotted keys, [headers], [[table lists]] and inline tables all become the same shape,
/// so the readers need not care how a value was written.
/// </summary>
internal static class ConfigTreeBuilder
{
    /// <summary>Builds the tree of a document that Tomlyn parsed and validated without errors.</summary>
    /// <exception cref="ConfigurationException">A key is defined twice (Tomlyn's validation normally reports that first).</exception>
    public static ConfigTable Build(DocumentSyntax document, string fileName)
    {
        var root = new ConfigTable("", 0);
        foreach (var keyValue in document.KeyValues)
        {
            AddKeyValue(root, keyValue, fileName);
        }

        foreach (var header in document.Tables)
        {
            var line = LineOf(header);
            var keys = KeysOf(header.Name!);
            var parent = Descend(root, keys.AsSpan(0, keys.Length - 1), line, fileName);
            var last = keys[^1];
            ConfigTable table;
            if (header is TableArraySyntax)
            {
                if (parent.Find(last) is not ConfigArray list)
                {
                    list = parent.Find(last) is null ? new ConfigArray(parent.ChildPath(last), line) : throw Redefined(parent, last, line, fileName);
                    parent.Add(last, list);
                }

                table = new ConfigTable(list.NextItemPath, line);
                list.Add(table);
            }
            else
            {
                table = Descend(parent, [last], line, fileName);
            }

            foreach (var keyValue in header.Items)
            {
                AddKeyValue(table, keyValue, fileName);
            }
        }

        return root;
    }

    /// <summary>The 1-based line where a syntax node starts.</summary>
    public static int LineOf(SyntaxNode node) => Math.Max(node.Span.Start.Line, 0) + 1;

    private static void AddKeyValue(ConfigTable table, KeyValueSyntax keyValue, string fileName)
    {
        var line = LineOf(keyValue);
        var keys = KeysOf(keyValue.Key!);
        var parent = Descend(table, keys.AsSpan(0, keys.Length - 1), line, fileName);
        var last = keys[^1];
        if (parent.Find(last) is not null)
        {
            throw Redefined(parent, last, line, fileName);
        }

        parent.Add(last, BuildValue(parent.ChildPath(last), line, keyValue.Value!, fileName));
    }

    private static ConfigNode BuildValue(string path, int line, ValueSyntax value, string fileName)
    {
        switch (value)
        {
            case InlineTableSyntax inline:
                var table = new ConfigTable(path, line);
                foreach (var item in inline.Items)
                {
                    AddKeyValue(table, item.KeyValue!, fileName);
                }

                return table;
            case ArraySyntax array:
                var list = new ConfigArray(path, line);
                foreach (var item in array.Items)
                {
                    list.Add(BuildValue(list.NextItemPath, LineOf(item.Value!), item.Value!, fileName));
                }

                return list;
            default:
                return new ConfigValue(path, line, value);
        }
    }

    // Follows (and creates) the tables named by keys; within a [[table list]] a header refers to its last table (TOML 1.1 "Array of Tables").
    private static ConfigTable Descend(ConfigTable table, ReadOnlySpan<string> keys, int line, string fileName)
    {
        foreach (var key in keys)
        {
            switch (table.Find(key))
            {
                case null:
                    var created = new ConfigTable(table.ChildPath(key), line);
                    table.Add(key, created);
                    table = created;
                    break;
                case ConfigTable existing:
                    table = existing;
                    break;
                case ConfigArray { Items: [.., ConfigTable lastTable] }:
                    table = lastTable;
                    break;
                default:
                    throw Redefined(table, key, line, fileName);
            }
        }

        return table;
    }

    private static string[] KeysOf(KeySyntax key)
    {
        var keys = new string[key.DotKeys.ChildrenCount + 1];
        keys[0] = TextOf(key.Key!);
        var i = 1;
        foreach (var dotted in key.DotKeys)
        {
            keys[i++] = TextOf(dotted.Key!);
        }

        return keys;
    }

    private static string TextOf(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key!.Text ?? "",
        StringValueSyntax quoted => quoted.Value!,
        _ => key.ToString() ?? "",
    };

    private static ConfigurationException Redefined(ConfigTable table, string key, int line, string fileName) =>
        new(fileName, line, table.ChildPath(key), "is already defined; a key or table may be defined only once");
}
