using Digest.Core.Classification;
using Digest.Core.Storage;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Digest.Worker.Cli;

/// <summary>
/// <c>digest train</c>: the classifier's trainer, fed also with the moderators' feedback stored by <c>/feedback</c>
/// (each title of a story judged good or bad becomes a labelled example), so the next model learns from it.
/// </summary>
internal static class TrainVerb
{
    public static async Task<int> RunAsync(Arguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var trainerWords = args.VerbWords.Where(w => w != "--no-feedback").ToList();
        if (args.VerbWords.Contains("--no-feedback") || !trainerWords.Contains("--labels"))
        {
            return await TrainCommand.RunAsync(trainerWords, stdout, stderr, cancellationToken);
        }

        var feedbackFile = Path.Combine(Path.GetTempPath(), $"digest-feedback-{Guid.NewGuid():N}.tsv");
        try
        {
            var lines = await FeedbackLinesAsync(args, cancellationToken);
            if (lines.Count > 0)
            {
                await File.WriteAllLinesAsync(feedbackFile, lines, cancellationToken);
                var at = trainerWords.IndexOf("--labels");
                trainerWords.Insert(at + 1, feedbackFile);
                await stdout.WriteLineAsync($"including {lines.Count} headlines from moderators' feedback (--no-feedback leaves them out)");
            }

            return await TrainCommand.RunAsync(trainerWords, stdout, stderr, cancellationToken);
        }
        finally
        {
            File.Delete(feedbackFile);
        }
    }

    /// <summary>The latest verdict on each story, applied to every headline in it, as <c>title&lt;TAB&gt;good|bad</c>.</summary>
    private static async Task<List<string>> FeedbackLinesAsync(Arguments args, CancellationToken cancellationToken)
    {
        using var host = DigestHost.Build(HostMode.Tool, args.Configuration, TextWriter.Null, "text");
        var store = host.Services.GetRequiredService<IDigestStore>();
        await store.MigrateAsync(cancellationToken);
        var lines = new List<string>();
        foreach (var verdict in (await store.GetFeedbackAsync(cancellationToken)).GroupBy(f => f.StoryId).Select(g => g.MaxBy(f => f.At)!))
        {
            foreach (var item in await store.GetStoryItemsAsync(verdict.StoryId, cancellationToken))
            {
                lines.Add($"{item.Item.Title.Replace('\t', ' ')}\t{verdict.Verdict}");
            }
        }

        return lines;
    }
}
