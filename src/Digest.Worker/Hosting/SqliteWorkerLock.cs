using Digest.Core.Storage;
using Digest.Storage;
using Digest.Storage.Sqlite;

namespace Digest.Worker.Hosting;

/// <summary>
/// One <c>digest run</c> per SQLite file: on SQLite the scheduler lives in memory, so a second worker on the same file
/// would poll every feed again and race the first for each digest. The running worker holds an exclusive lock on
/// <c>&lt;database&gt;.lock</c> beside the file (released by the system however the process ends, kill -9 included);
/// a second <c>run</c> finds it taken and stops with a <see cref="StorageException"/>. <c>once</c> and <c>status</c>
/// take no lock: they may look at the database of a running bot.
/// </summary>
internal static class SqliteWorkerLock
{
    /// <summary>The lock for <paramref name="store"/>'s file, or null when it needs none (PostgreSQL, an in-memory database).</summary>
    public static IDisposable? Acquire(IDigestStore store)
    {
        if (store is not SqliteStore { DatabaseFile: { } path })
        {
            return null;
        }

        var lockFile = path + ".lock";
        try
        {
            return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException)
        {
            // A folder the bot may not write: the store's own check at startup says so, naming the folder.
            return null;
        }
        catch (IOException e) when (File.Exists(lockFile))
        {
            throw new StorageException(
                $"{StorageFaults.Setting}: another digest run is using {path} (it holds {lockFile}); on SQLite one worker runs at a time: stop the other, or share a PostgreSQL database between workers (README: Scaling out)", e);
        }
    }
}
