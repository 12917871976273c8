using Vouch.Registration;

namespace Vouch.Tests.Support;

/// <summary>A small Public Suffix List for tests: the suffixes the test zones use.</summary>
internal static class TestSuffixes
{
    public static PublicSuffixList List { get; } = PublicSuffixList.Parse("com\nnet\norg\nexample\ntest\nco.uk\n");
}
