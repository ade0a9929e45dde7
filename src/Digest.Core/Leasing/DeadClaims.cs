using Digest.Core.Storage;

namespace Digest.Core.Leasing;

internal static class DeadClaims
{
    /// <summary>
    /// Ends the claims left by processes of this host that died (kill -9, a crash, a container restarted) — outbox
    /// messages, inbox updates, story refreshes: they are taken up at once instead of when the claims expire (minutes,
    /// which would hold a chat's replies or a channel's messages that long), and the takeover counts as an attempt that
    /// may have reached the platform. A live process's claims, or another host's (whose processes we can't see), are
    /// left alone. Returns how many claimers were ended.
    /// </summary>
    public static async Task<int> ReleaseAsync(ILeaseStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var released = 0;
        foreach (var claimer in await store.GetClaimersAsync(LocalProcess.HostPrefix, now, cancellationToken))
        {
            if (LocalProcess.IsGone(claimer))
            {
                await store.ExpireClaimsAsync(claimer, now, cancellationToken);
                released++;
            }
        }

        return released;
    }
}
