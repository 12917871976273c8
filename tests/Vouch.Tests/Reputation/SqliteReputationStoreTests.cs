using Vouch.Reputation;

namespace Vouch.Tests.Reputation;

/// <summary>The store contract against SQLite (a fresh database file per test), and what only SQLite does: its file, its pruning.</summary>
public sealed class SqliteReputationStoreTests : ReputationStoreContract
{
    private readonly string folder = Directory.CreateTempSubdirectory("vouch-rep-").FullName;

    private string DatabasePath => Path.Combine(folder, "db", "reputation.db");

    protected override IReputationStore CreateStore(ReputationOptions options) =>
        new SqliteReputationStore(options with { Path = DatabasePath }, null, TimeSpan.FromMilliseconds(2));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task The_folder_and_the_file_are_made_on_first_use()
    {
        var store = Open();
        Assert.False(File.Exists(DatabasePath));
        Assert.Equal($"sqlite {DatabasePath}", store.Description);
        await store.RecordAsync(Spam(Owner("example.com"), "t", "r", T0), None);
        Assert.True(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task A_path_that_cannot_be_made_is_a_store_error_naming_it()
    {
        var blocker = Path.Combine(folder, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        var path = Path.Combine(blocker, "reputation.db");
        await using var store = new SqliteReputationStore(Options with { Path = path });
        var error = await Assert.ThrowsAsync<ReputationStoreException>(() => store.RecordAsync(Spam(Owner("example.com"), "t", "r", T0), None));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("folder", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ReputationStoreException>(() => store.RowsAsync("example.com", T0, None));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_a_store_error_naming_it()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        await File.WriteAllTextAsync(DatabasePath, new string('x', 4096));
        var error = await Assert.ThrowsAsync<ReputationStoreException>(() => Open().RowsAsync("example.com", T0, None));
        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Maintenance_prunes_old_events_links_and_rows_that_decayed_to_nothing_but_keeps_pins()
    {
        var store = (SqliteReputationStore)Open();
        var charges = Owner("old.example");
        await SpamRunAsync(store, charges, 3, 3, T0);
        var pinned = ReputationKey.ForOwner("pinned.example");
        await store.PinAsync(pinned, ReputationState.Neutral, new ReputationAdminAction("pin neutral", pinned.Subject, "partner", "root", T0), None);
        await store.LinkQueueIdAsync("Q1", "TICKET", T0, None);
        await store.MaintainAsync(T0.AddDays(1), None);
        Assert.Equal(3, (await store.EventsAsync("old.example", 10, None)).Count);
        Assert.Equal("TICKET", await store.FindTicketAsync("Q1", None));

        var later = T0.AddDays(200);
        await store.MaintainAsync(later, None);
        Assert.Empty(await store.EventsAsync("old.example", 10, None));
        Assert.Empty(await store.RowsAsync("old.example", later, None));
        Assert.Null(await store.FindTicketAsync("Q1", None));
        Assert.Single(await store.RowsAsync("pinned.example", later, None));
    }
}
