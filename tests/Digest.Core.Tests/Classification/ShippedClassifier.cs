using Digest.Core.Classification;
using Digest.Core.Tests.TestSupport;

namespace Digest.Core.Tests.Classification;

/// <summary>The profile and model the repository ships in config/, loaded once for the tests.</summary>
internal static class ShippedClassifier
{
    private static readonly Lazy<TopicClassifier> Loaded = new(() =>
    {
        var config = Path.Combine(SharedData.RepositoryRoot(), "config");
        var profile = TopicProfile.Load(Path.Combine(config, "topics", "ukraine-peace-talks.json"));
        return TopicClassifier.Load(profile, Path.Combine(config, profile.Model));
    });

    public static TopicClassifier Instance => Loaded.Value;

    public static string ProfilePath => Path.Combine(SharedData.RepositoryRoot(), "config", "topics", "ukraine-peace-talks.json");
}
