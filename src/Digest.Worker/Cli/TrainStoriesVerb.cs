using System.Globalization;
using Digest.Core;
using Digest.Core.Classification;
using Digest.Core.Stories;
using Digest.Embeddings;

namespace Digest.Worker.Cli;

/// <summary>
/// <c>digest train stories --input headlines.jsonl --labels clusters.tsv [--output F] [--profile F]</c>: (re)builds the
/// same-event model the story clusterer scores item pairs with (<see cref="StoryPairModel"/>) from an editor's stories:
/// every pair of labelled headlines within the clusterer's reach is an example, positive when both are under one story.
/// The labelled headlines are one window, as the pipeline would cluster them. Deterministic: the same labels give the
/// same file (the weights are written to 9 significant digits).
/// </summary>
internal static class TrainStoriesVerb
{
    private const string Usage = "usage: train stories --input headlines.jsonl --labels clusters.tsv [--output story-pairs.json] [--profile topic.json]";

    private static readonly string[] Known = ["--input", "--labels", "--output", "--profile"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var parsed = VerbArguments.Parse(args, Known, stderr);
        if (parsed is null || parsed.Value("--input") is not { } input || parsed.Value("--labels") is not { } labelsPath)
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        foreach (var (option, path) in new[] { ("--input", input), ("--labels", labelsPath) })
        {
            if (!File.Exists(path))
            {
                await stderr.WriteLineAsync($"{option}: no file at '{path}'");
                return 2;
            }
        }

        var profilePath = ClassifierFiles.ProfilePath(parsed.Value("--profile"));
        if (profilePath is null || !File.Exists(profilePath))
        {
            await stderr.WriteLineAsync($"no topic profile at '{profilePath ?? "config/" + ClassifierFiles.DefaultProfile}' (give --profile)");
            return 2;
        }

        try
        {
            var profile = TopicProfile.Load(profilePath);
            var labels = ClusterEvaluation.ReadLabels(labelsPath);
            var all = Headlines.ReadJsonLines(input).ToList();
            var headlines = all.Where(h => labels.ContainsKey(h.Id)).ToList();
            if (headlines.Count < 2)
            {
                await stderr.WriteLineAsync($"--labels: only {headlines.Count} of its ids are in --input; nothing to train on");
                return 2;
            }

            var output = Path.GetFullPath(parsed.Value("--output")
                ?? Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(profilePath)!)!, StoryPairModel.DefaultPath));
            using var embedder = new MiniLmEmbedder();
            var model = Train(profile, all, labels, embedder, Path.GetFileName(labelsPath), cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            await using (var stream = File.Create(output))
            {
                model.Save(stream);
            }

            await stdout.WriteLineAsync($"trained on {headlines.Count} headlines of {headlines.Select(h => labels[h.Id]).Distinct().Count()} stories; wrote {output}");
            await stdout.WriteLineAsync("weights (with embeddings / words only):");
            for (var k = 0; k < PairFeatures.Count; k++)
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {PairFeatures.Names[k],-40} {model.WithEmbeddings[k],8:0.000} {model.WordsOnly[k],8:0.000}"));
            }

            return 0;
        }
        catch (InvalidDataException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 2;
        }
    }

    /// <summary>
    /// The shipped model's training: the labelled headlines as one window with the clusterer's default reach, and the
    /// unlabelled headlines of those days that name the profile's people as negatives (<see cref="ClusterEvaluation.Confusable"/>).
    /// </summary>
    internal static StoryPairModel Train(TopicProfile profile, IReadOnlyList<Headline> all, IReadOnlyDictionary<string, string> labels, ITextEmbedder? embedder, string trainedOn, CancellationToken cancellationToken)
    {
        var extractor = new EventFeatureExtractor(profile);
        var labelled = all.Where(h => labels.ContainsKey(h.Id)).ToList();
        return ClusterEvaluation.TrainPairs([labelled], labels, ClusterEvaluation.Confusable(all, labels, extractor), new StoryWindowClusterer(extractor, new EventClusterer(), embedder), trainedOn, cancellationToken);
    }
}
