using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vouch.Tests.EndToEnd;

/// <summary>Free loopback TCP ports, and polling a port until its server answers.</summary>
internal static class LoopbackPorts
{
    /// <summary>A TCP port free on 127.0.0.1 at the time of asking.</summary>
    public static int Free()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>
    /// Connects until the server on <paramref name="port"/> accepts (and, with <paramref name="bannerPrefix"/>,
    /// greets with it); false when <paramref name="hasExited"/> says the server died or 60 s pass.
    /// </summary>
    public static async Task<bool> WaitForBannerAsync(int port, string? bannerPrefix, Func<bool> hasExited)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!giveUp.IsCancellationRequested && !hasExited())
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, giveUp.Token);
                if (bannerPrefix is null)
                {
                    return true;
                }

                var buffer = new byte[512];
                var read = await client.GetStream().ReadAsync(buffer, giveUp.Token);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith(bannerPrefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            catch (IOException)
            {
                // Closed before the greeting: not ready yet.
            }
            catch (OperationCanceledException)
            {
                break;
            }

            // Pacing between polls of the port (a refused connection fails at once), not a wait for the server.
            await Task.Delay(20);
        }

        return false;
    }
}
