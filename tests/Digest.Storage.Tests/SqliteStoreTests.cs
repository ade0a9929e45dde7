using Digest.Core.Storage;
using Digest.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Digest.Storage.Tests;

public sealed class SqliteStoreTests : StoreContract
{
    private readonly string directory = Directory.CreateTempSubdirectory("digest-store-").FullName;

    protected override Task<IDigestStore> CreateStoreAsync(IDigestStore? shareWith = null) =>
        Task.FromResult<IDigestStore>(new SqliteStore($"Data Source={Path.Combine(directory, "digest.db")}"));

    protected override void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
