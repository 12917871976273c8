using Microsoft.Data.Sqlite;

namespace Vouch.Reputation;

/// <summary>
/// The writer's connection with its commands kept, one per text, for the connection's life. A kept command is
/// prepared once and only reset after; preparing anew each time was most of the delivery flush's cost (a profile
/// under whole-message load: 6.4 s of the writer's 10.5 s in sqlite3_prepare).
/// </summary>
internal sealed class SqliteStatements(SqliteConnection connection) : IAsyncDisposable
{
    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

    /// <summary>The writer's connection.</summary>
    public SqliteConnection Connection => connection;

    /// <summary>
    /// The kept command for <paramref name="text"/>, in <paramref name="transaction"/>, with these parameters. It stays
    /// the cache's: the caller disposes the readers it opens, never the command.
    /// </summary>
    public SqliteCommand For(SqliteTransaction transaction, string text, params (string Name, object? Value)[] parameters)
    {
        if (!commands.TryGetValue(text, out var command))
        {
            command = SqliteReputationSql.Command(connection, transaction, text);
            commands[text] = command;
        }

        command.Transaction = transaction;
        SqliteReputationSql.Bind(command, parameters);
        return command;
    }

    /// <summary>Disposes the kept commands, then the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var command in commands.Values)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        commands.Clear();
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
