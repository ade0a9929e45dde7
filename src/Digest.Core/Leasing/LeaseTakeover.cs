using Digest.Core.Storage;

namespace Digest.Core.Leasing;

internal static class LeaseTakeover
{
    /// <summary>
    /// Takes the named lease like <see cref="ILeaseStore.TryAcquireLeaseAsync"/>, and also when its holder is a process
    /// of this host that is gone (<see cref="LocalProcess.IsGone"/>): a worker restarted after kill -9 goes on at once
    /// instead of waiting out its predecessor's lease. Only that holder's lease is given up, so a live worker that took
    /// it meanwhile keeps it.
    /// </summary>
    public static async Task<bool> TryAcquireOrTakeOverAsync(this ILeaseStore store, string name, string holder, TimeSpan ttl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await store.TryAcquireLeaseAsync(name, holder, ttl, now, cancellationToken))
        {
            return true;
        }

        var current = (await store.GetLeasesAsync(cancellationToken)).FirstOrDefault(l => l.Name == name);
        if (current is null || current.Holder == holder || !LocalProcess.IsGone(current.Holder))
        {
            return false;
        }

        await store.ReleaseLeaseAsync(name, current.Holder, cancellationToken);
        return await store.TryAcquireLeaseAsync(name, holder, ttl, now, cancellationToken);
    }
}
