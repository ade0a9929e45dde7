using Digest.Core;
using Digest.Core.Storage;
using Digest.Storage.Postgres;
using Digest.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Digest.Storage;

public static class DigestStorageSetup
{
    /// <summary>The store named by <c>Storage:Provider</c>; SQLite in the per-user data directory by default.</summary>
    public static IServiceCollection AddDigestStorage(this IServiceCollection services)
    {
        services.AddValidatedOptions<StorageOptions>(StorageOptions.SectionName);
        services.AddSingleton<IDigestStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.Provider switch
            {
                "sqlite" => new SqliteStore(string.IsNullOrWhiteSpace(options.ConnectionString) ? $"Data Source={StorageOptions.DefaultSqlitePath()}" : options.ConnectionString),
                "postgres" => new PostgresStore(options.ConnectionString!),
                _ => throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions), [$"Storage:Provider '{options.Provider}' is not available in this build"]),
            };
        });
        return services;
    }
}
