namespace Digest.Core.Classification;

/// <summary>Finds the topic profile and its trained model for the tools (train, eval, benchmarks).</summary>
internal static class ClassifierFiles
{
    public const string DefaultProfile = "topics/ukraine-peace-talks.json";

    /// <summary>The profile file given, else the shipped one found above the working directory; null when there is none.</summary>
    public static string? ProfilePath(string? given) => given ?? VerbArguments.FindConfigFile(DefaultProfile);

    /// <summary>Where the profile's model lives: its <see cref="TopicProfile.Model"/> path, relative to the config folder.</summary>
    public static string ModelPath(string profilePath, TopicProfile profile) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(profilePath))!, "..", profile.Model));

    /// <summary>The classifier of a profile file and its model, defaulting to the shipped config; null (with a message) when a file is missing.</summary>
    public static TopicClassifier? Load(string? profilePath, string? modelPath, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        profilePath = ProfilePath(profilePath);
        if (profilePath is null || !File.Exists(profilePath))
        {
            stderr.WriteLine($"no topic profile at '{profilePath ?? "config/" + DefaultProfile}' (give --profile)");
            return null;
        }

        var profile = TopicProfile.Load(profilePath);
        modelPath ??= ModelPath(profilePath, profile);
        if (!File.Exists(modelPath))
        {
            stderr.WriteLine($"no topic model at '{modelPath}' (build one with `digest train`, or give --model)");
            return null;
        }

        return TopicClassifier.Load(profile, modelPath);
    }
}
