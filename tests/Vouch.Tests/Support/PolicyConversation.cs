using System.Text;
using Vouch.Server;

namespace Vouch.Tests.Support;

/// <summary>One policy connection over in-memory streams: the requests in, everything the server answered out.</summary>
internal static class PolicyConversation
{
    public static async Task<string> ServeAsync(PolicyResponder responder, string input)
    {
        using var output = new MemoryStream();
        await new PolicyServer(responder).ServeConnectionAsync(new MemoryStream(Encoding.UTF8.GetBytes(input)), output, "test", CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
