using Digest.Core.Storage;
using Digest.Storage.Postgres;
using Digest.Tests.Shared;

namespace Digest.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresCluster cluster) : StoreContract
{
    private string? connectionString;

    protected override async Task<IDigestStore> CreateStoreAsync(IDigestStore? shareWith = null)
    {
        if (cluster.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        connectionString = shareWith is null || connectionString is null ? await cluster.CreateDatabaseAsync("store") : connectionString;
        return new PostgresStore(connectionString);
    }

    [Fact]
    public void TsQuery_UserWords_QuotedAllRequiredLastIsAPrefix()
    {
        PostgresStore.TsQuery("Security guar").ShouldBe("(('security') & ('guar':*))");
        PostgresStore.TsQuery("\"security guarantees\" OR Geneva").ShouldBe("(('security' <-> 'guarantees')) | (('geneva':*))");
        PostgresStore.TsQuery("' & | !").ShouldBe("");
        PostgresStore.TsQuery("\"security guarantees\" guar", "A").ShouldBe("(('security':A <-> 'guarantees':A) & ('guar':*A))");
    }
}
