using Digest.Core.Feeds;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Digest.Core.Tests.TestSupport;

/// <summary>
/// The fetcher as production builds it: <c>AddDigestCore</c> over a configuration, so the typed client, its handler,
/// the address guard and the shared <see cref="FetchGates"/> are the real ones.
/// </summary>
public static class FetcherServices
{
    /// <param name="settings">Keys under <c>Feeds:</c>, e.g. <c>("Timeout", "00:00:01")</c>.</param>
    /// <param name="allowPrivateAddresses">True for tests that reach their own server on 127.0.0.1.</param>
    /// <param name="configDirectory">Where relative feed paths resolve; a temporary folder when null.</param>
    public static ServiceProvider Build(bool allowPrivateAddresses = true, string? configDirectory = null, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Feeds:AllowPrivateAddresses"] = allowPrivateAddresses ? "true" : "false",
        };
        foreach (var (key, value) in settings)
        {
            values["Feeds:" + key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging();
        services.AddDigestCore(configDirectory ?? Path.GetTempPath());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }
}
