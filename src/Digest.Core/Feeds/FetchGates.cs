using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Digest.Core.Feeds;

/// <summary>
/// The fetch concurrency limits, per host and global. A singleton: typed clients are transient, so the limits live here
/// and every <see cref="FeedFetcher"/> shares them.
/// </summary>
public sealed class FetchGates(IOptions<FeedsOptions> options)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim global = new(options.Value.GlobalConcurrency, options.Value.GlobalConcurrency);
    private readonly int perHost = options.Value.PerHostConcurrency;

    /// <summary>Waits for a slot for <paramref name="host"/>; dispose the lease to give it back.</summary>
    public async Task<IDisposable> EnterAsync(string host, CancellationToken cancellationToken)
    {
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

    private sealed class Lease(SemaphoreSlim host, SemaphoreSlim global) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                global.Release();
                host.Release();
            }
        }
    }
}
