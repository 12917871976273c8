using Vouch.Registration;

namespace Vouch.Tests.Registration;

/// <summary>Loading the list file: the Debian file, and every way a configured file can be wrong.</summary>
public sealed class PublicSuffixListLoadTests : IDisposable
{
    private const string Hint = "(setting public_suffix_list; Debian's package 'publicsuffix' installs /usr/share/publicsuffix/public_suffix_list.dat)";

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("vouch-psl-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public async Task Loads_the_debian_file()
    {
        var list = await PublicSuffixList.LoadAsync(PublicSuffixList.DefaultPath, CancellationToken.None);

        Assert.True(list.RuleCount > 9000, $"only {list.RuleCount} rules");
        Assert.Equal("example.co.uk", list.GetOrganizationalDomain("mail.example.co.uk"));
    }

    [Fact]
    public async Task Loads_a_file_in_utf8()
    {
        var path = await WriteAsync("list.dat", "cn\n公司.cn\n");

        var list = await PublicSuffixList.LoadAsync(path, CancellationToken.None);

        Assert.Equal(2, list.RuleCount);
        Assert.Equal("xn--85x722f.xn--55qx5d.cn", list.GetOrganizationalDomain("www.食狮.公司.cn"));
    }

    [Fact]
    public async Task A_missing_file_names_the_path_the_setting_and_the_package()
    {
        var path = Path.Combine(folder.FullName, "absent.dat");

        var exception = await Assert.ThrowsAsync<PublicSuffixListException>(() => PublicSuffixList.LoadAsync(path, CancellationToken.None));

        Assert.Equal($"public suffix list not found at {path} {Hint}", exception.Message);
        Assert.Equal(path, exception.Path);
        Assert.IsType<FileNotFoundException>(exception.InnerException);
    }

    [Fact]
    public async Task A_missing_folder_is_a_missing_file()
    {
        var path = Path.Combine(folder.FullName, "no-such-folder", "public_suffix_list.dat");

        var exception = await Assert.ThrowsAsync<PublicSuffixListException>(() => PublicSuffixList.LoadAsync(path, CancellationToken.None));

        Assert.Equal($"public suffix list not found at {path} {Hint}", exception.Message);
    }

    [Fact]
    public async Task An_unreadable_path_names_the_path_and_the_reason()
    {
        var exception = await Assert.ThrowsAsync<PublicSuffixListException>(() => PublicSuffixList.LoadAsync(folder.FullName, CancellationToken.None));

        Assert.StartsWith($"public suffix list at {folder.FullName} cannot be read: ", exception.Message, StringComparison.Ordinal);
        Assert.EndsWith(Hint, exception.Message, StringComparison.Ordinal);
        Assert.Equal(folder.FullName, exception.Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("// ===BEGIN ICANN DOMAINS===\n// ===END ICANN DOMAINS===\n\n")]
    public async Task A_file_without_rules_is_an_error(string content)
    {
        var path = await WriteAsync("empty.dat", content);

        var exception = await Assert.ThrowsAsync<PublicSuffixListException>(() => PublicSuffixList.LoadAsync(path, CancellationToken.None));

        Assert.Equal($"public suffix list at {path} has no rules {Hint}", exception.Message);
        Assert.Equal(path, exception.Path);
    }

    [Fact]
    public async Task A_malformed_rule_names_the_file_and_the_line()
    {
        var path = await WriteAsync("bad.dat", "com\nexample..com\n");

        var exception = await Assert.ThrowsAsync<PublicSuffixListException>(() => PublicSuffixList.LoadAsync(path, CancellationToken.None));

        Assert.Equal($"public suffix list at {path} is not valid: line 2: rule 'example..com' has an empty label {Hint}", exception.Message);
        Assert.IsType<FormatException>(exception.InnerException);
    }

    [Fact]
    public async Task An_empty_path_is_an_argument_error() =>
        await Assert.ThrowsAsync<ArgumentException>(() => PublicSuffixList.LoadAsync("", CancellationToken.None));

    [Fact]
    public async Task A_cancelled_load_is_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PublicSuffixList.LoadAsync(PublicSuffixList.DefaultPath, cancellation.Token));
    }

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(folder.FullName, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }
}
