using Vouch.Registration;

namespace Vouch.Tests.Registration;

/// <summary>The real list as Debian's package 'publicsuffix' installs it (CI installs the package), loaded once per test class.</summary>
public sealed class DebianPublicSuffixListFixture : IAsyncLifetime
{
    private PublicSuffixList? list;

    /// <summary>The list at <see cref="PublicSuffixList.DefaultPath"/>.</summary>
    public PublicSuffixList List => list ?? throw new InvalidOperationException("The fixture has not been initialized.");

    public async Task InitializeAsync() =>
        list = await PublicSuffixList.LoadAsync(PublicSuffixList.DefaultPath, CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;
}
