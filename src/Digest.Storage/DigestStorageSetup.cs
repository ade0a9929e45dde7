using Digest.Core;
using Digest.Core.Storage;
using Digest.Storage.Postgres;
using Digest.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Digest.Storage;

internal static class DigestStorageSetup
{
    /// <summary>The store named by <c>Storage:Provider</c>; SQLite in the per-user data directory by default.</summary>
    public static IServiceCollection AddDigestStorage(this IServiceCollection services)
    {
        services.AddValidatedOptions<StorageOptions>(StorageOptions.SectionName);
        return services.AddDigestStore(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.Provider switch
            {
                "sqlite" => new SqliteStore(string.IsNullOrWhiteSpace(options.ConnectionString) ? $"Data Source={StorageOptions.DefaultSqlitePath()}" : options.ConnectionString),
                "postgres" => new PostgresStore(options.ConnectionString!),
                _ => throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions), [$"Storage:Provider '{options.Provider}' is not available in this build"]),
            };
        });
    }

    /// <summary>Registers one store for every role: each stage asks for the role it needs (feeds, items, stories, delivery, inbox, communities, leases).</summary>
    public static IServiceCollection AddDigestStore(this IServiceCollection services, Func<IServiceProvider, IDigestStore> create)
    {
        services.AddSingleton(create);
        services.AddSingleton<IFeedStore>(sp => sp.GetRequiredService<IDigestStore>());
        services.AddSingleton<IItemStore>(sp => sp.GetRequiredService<IDigestStore>());
        services.AddSingleton<IStoryStore>(sp => sp.GetRequiredService<IDigestStore>());
        services.AddSingleton<IDeliveryStore>(sp => sp.GetRequiredService<IDigestStore>());
        services.AddSingleton<IInboxStore>(sp => sp.GetRequiredService<IDigestStore>());
        services.AddSingleton<ICommunityStore>(sp => sp.GetRequiredService<IDigestStore>());
        services.AddSingleton<ILeaseStore>(sp => sp.GetRequiredService<IDigestStore>());
        return services;
    }
}
