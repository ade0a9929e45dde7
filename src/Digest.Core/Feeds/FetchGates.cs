using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Digest.Core.Feeds;

/// <summary>
/// The fetch concurrency limits, per host and global. A singleton: typed clients are transient, so the limits live here
/// and every <see cref="FeedFetcher"/> shares them. The per-host limit is politeness towards someone else's server, so
/// loopback hosts (<c>localhost</c>, 127.0.0.0/8, ::1: a feed bridge on this machine, the load harness's farm; reachable
/// only with <c>Feeds:AllowPrivateAddresses</c>) are held by the global limit alone.
/// </summary>
internal sealed class FetchGates(IOptions<FeedsOptions> options)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim global = new(options.Value.GlobalConcurrency, options.Value.GlobalConcurrency);
    private readonly int perHost = options.Value.PerHostConcurrency;

    /// <summary>Waits for a slot for <paramref name="host"/>; dispose the lease to give it back.</summary>
    public async Task<IDisposable> EnterAsync(string host, CancellationToken cancellationToken)
    {
        if (IsLoopback(host))
        {
            await global.WaitAsync(cancellationToken);
            return new Lease(null, global);
        }

        // The host first: a slow host then holds only its own slots while it waits, not global ones other hosts need.
        var hostGate = hosts.GetOrAdd(host, _ => new SemaphoreSlim(perHost, perHost));
        await hostGate.WaitAsync(cancellationToken);
        try
        {
            await global.WaitAsync(cancellationToken);
        }
        catch
        {
            hostGate.Release();
            throw;
        }

        return new Lease(hostGate, global);
    }

    /// <summary>A host name or address that is this machine: <c>localhost</c> (and names under it), 127.0.0.0/8, ::1.</summary>
    internal static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private sealed class Lease(SemaphoreSlim? host, SemaphoreSlim global) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                global.Release();
                host?.Release();
            }
        }
    }
}
