using System.Globalization;
using System.Security.Cryptography;
using Digest.Core;
using Digest.Core.Classification;
using Digest.Core.Storage;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Digest.Worker.Cli;

/// <summary>
/// <c>digest train --labels FILE… [--headlines FILE] [--until DATE] [--profile FILE] [--output FILE] [--no-feedback]</c>:
/// (re)builds the topic model from labelled headlines (<c>id&lt;TAB&gt;label</c>, titles joined from the headlines file,
/// optionally only those first seen up to --until; or <c>title&lt;TAB&gt;label</c>), the moderators' feedback stored by
/// <c>/feedback</c> (each headline of a story judged good or bad becomes a labelled example) and the profile's own
/// examples. Deterministic: the same inputs give the same bytes.
/// </summary>
internal static class TrainVerb
{
    private static readonly string[] Known = ["--labels", "--headlines", "--until", "--profile", "--output", "--no-feedback"];
    private static readonly double[] Thresholds = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];

    public static async Task<int> RunAsync(Arguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var parsed = VerbArguments.Parse(args.VerbWords, Known, stderr);
        if (parsed is null || !parsed.TryDate("--until", stderr, out var until))
        {
            return 2;
        }

        if (parsed.Values("--labels") is not { Count: > 0 } labelFiles)
        {
            await stderr.WriteLineAsync("usage: train --labels FILE… [--headlines headlines.jsonl] [--until yyyy-MM-dd] [--profile topic.json] [--output model.bin] [--no-feedback]");
            return 2;
        }

        var profilePath = ClassifierFiles.ProfilePath(parsed.Value("--profile"));
        if (profilePath is null || !File.Exists(profilePath))
        {
            await stderr.WriteLineAsync($"no topic profile at '{profilePath ?? "config/" + ClassifierFiles.DefaultProfile}' (give --profile)");
            return 2;
        }

        if (labelFiles.FirstOrDefault(f => !File.Exists(f)) is { } missing)
        {
            await stderr.WriteLineAsync($"no labels file at '{missing}'");
            return 2;
        }

        var headlinesPath = parsed.Value("--headlines")
            ?? labelFiles.Select(f => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(f))!, "headlines.jsonl")).FirstOrDefault(File.Exists);
        try
        {
            var profile = TopicProfile.Load(profilePath);
            var output = Path.GetFullPath(parsed.Value("--output") ?? ClassifierFiles.ModelPath(profilePath, profile));
            var byId = headlinesPath is null ? null : Headlines.ReadJsonLines(headlinesPath).ToDictionary(h => h.Id);
            var labelled = labelFiles.SelectMany(f => Headlines.ReadLabels(f, byId, until)).ToList();
            if (!parsed.Has("--no-feedback"))
            {
                var feedback = await FeedbackAsync(args, cancellationToken);
                if (feedback.Count > 0)
                {
                    labelled.AddRange(feedback);
                    await stdout.WriteLineAsync($"including {feedback.Count} headlines from moderators' feedback (--no-feedback leaves them out)");
                }
            }

            var trained = TopicTrainer.Train(profile, labelled);
            cancellationToken.ThrowIfCancellationRequested();
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            await using (var stream = File.Create(output))
            {
                trained.Model.Save(stream);
            }

            var bytes = await File.ReadAllBytesAsync(output, cancellationToken);
            var examples = trained.Examples;
            await stdout.WriteLineAsync($"trained on {examples.Count} examples ({examples.Count(e => e.Positive)} about the story) from {string.Join(", ", labelFiles)}{(until is { } u ? $" (first seen up to {u:yyyy-MM-dd})" : "")} and the profile's {profile.PositiveExamples.Count + profile.NegativeExamples.Count} examples");
            await stdout.WriteLineAsync($"wrote {output} ({bytes.Length / 1024} KiB, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]})");
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"out-of-fold precision/recall by threshold (the profile's threshold is {profile.Threshold}, borderline from {profile.StoryThreshold}):"));
            foreach (var threshold in Thresholds)
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {threshold:0.0}: {trained.OutOfFoldAt(threshold)}"));
            }

            await stdout.WriteLineAsync("weights of who and what kind of event (the hashed words add to these):");
            foreach (var (name, weight) in trained.Model.DenseWeights.OrderByDescending(w => Math.Abs(w.Weight)))
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {weight,7:+0.00;-0.00}  {name}"));
            }

            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"calibration: score = sigmoid({trained.Model.PlattA:0.000} × logit {trained.Model.PlattB:+0.000;-0.000}), fitted on forward held-out logits"));

            return 0;
        }
        catch (InvalidDataException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 2;
        }
    }

    /// <summary>The latest verdict on each story, applied to every headline in it.</summary>
    private static async Task<List<LabelledTitle>> FeedbackAsync(Arguments args, CancellationToken cancellationToken)
    {
        using var host = DigestHost.Build(HostMode.Tool, args.Configuration, TextWriter.Null, "text");
        var store = host.Services.GetRequiredService<IDigestStore>();
        await store.MigrateAsync(cancellationToken);
        var labelled = new List<LabelledTitle>();
        foreach (var verdict in (await store.GetFeedbackAsync(cancellationToken)).GroupBy(f => f.StoryId).Select(g => g.MaxBy(f => f.At)!))
        {
            if (Headlines.ParseLabel(verdict.Verdict) is not { } positive)
            {
                continue;
            }

            foreach (var item in await store.GetStoryItemsAsync(verdict.StoryId, cancellationToken))
            {
                labelled.Add(new LabelledTitle(item.Item.Title, positive));
            }
        }

        return labelled;
    }
}
