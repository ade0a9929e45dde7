using System.Globalization;
using Digest.Core.Classification;

namespace Digest.Core.Stories;

/// <summary>
/// <c>digest eval cluster --input FILE.jsonl [--from DATE] [--to DATE] [--all] [--window HOURS] [--join COSINE] [--profile FILE] [--model FILE]</c>:
/// classifies the headlines (unless --all), clusters the relevant ones in first-seen order as the pipeline would, and
/// prints the stories found — size, outlets, headlines — for a person to judge.
/// </summary>
public static class EvalClusterCommand
{
    private const int MembersShown = 12;
    private static readonly string[] Known = ["--input", "--from", "--to", "--all", "--window", "--join", "--profile", "--model"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var parsed = VerbArguments.Parse(args, Known, stderr);
        if (parsed is null || !parsed.TryDate("--from", stderr, out var from) || !parsed.TryDate("--to", stderr, out var to))
        {
            return 2;
        }

        if (parsed.Value("--input") is not { } input)
        {
            await stderr.WriteLineAsync("usage: eval cluster --input FILE.jsonl [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--all] [--window 48] [--join 0.25] [--profile topic.json] [--model model.bin]");
            return 2;
        }

        if (!File.Exists(input))
        {
            await stderr.WriteLineAsync($"no input file at '{input}'");
            return 2;
        }

        var hours = 48.0;
        if (parsed.Value("--window") is { } text && (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out hours) || hours <= 0))
        {
            await stderr.WriteLineAsync($"--window wants a positive number of hours, not '{text}'");
            return 2;
        }

        var join = 0.25;
        if (parsed.Value("--join") is { } joinText && (!double.TryParse(joinText, NumberStyles.Float, CultureInfo.InvariantCulture, out join) || join is <= 0 or > 1))
        {
            await stderr.WriteLineAsync($"--join wants a similarity from 0 to 1, not '{joinText}'");
            return 2;
        }

        try
        {
            var classifier = ClassifierFiles.Load(parsed.Value("--profile"), parsed.Value("--model"), stderr);
            if (classifier is null)
            {
                return 2;
            }

            var headlines = Headlines.ReadJsonLines(input)
                .Where(h => h.InDays(from, to))
                .OrderBy(h => h.FirstSeen ?? DateTimeOffset.MinValue)
                .ToList();
            var keepAll = args.Contains("--all");
            var relevant = keepAll ? headlines : [.. headlines.Where(h => classifier.Classify(h.Input).Relevant)];

            var clusterer = new StoryClusterer(TimeSpan.FromHours(hours), classifier.Profile.Venues, join);
            var stories = new List<List<(Headline Headline, bool Duplicate)>>();
            var itemId = 0L;
            foreach (var headline in relevant)
            {
                ct.ThrowIfCancellationRequested();
                var document = new ClusterDocument(++itemId, headline.Title, headline.Summary ?? "", headline.FirstSeen ?? DateTimeOffset.MinValue);
                var match = clusterer.FindStory(document);
                long storyId;
                if (match is null)
                {
                    stories.Add([]);
                    storyId = stories.Count;
                }
                else
                {
                    storyId = match.StoryId;
                }

                stories[(int)storyId - 1].Add((headline, match?.DuplicateOfItemId is not null));
                clusterer.Add(document, storyId);
            }

            var duplicates = stories.Sum(s => s.Count(m => m.Duplicate));
            await stdout.WriteLineAsync($"{headlines.Count} headlines, {relevant.Count} relevant → {stories.Count} stories ({duplicates} near-duplicates folded), window {hours} h, join at {join}");
            foreach (var (story, index) in stories.Select((s, i) => (s, i + 1)).OrderByDescending(s => s.s.Count).ThenBy(s => s.Item2))
            {
                var first = story[0].Headline;
                var outlets = story.Select(m => m.Headline.Outlet).OfType<string>().Distinct().ToList();
                await stdout.WriteLineAsync();
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"story {index}: {story.Count} items, {outlets.Count} outlets, from {first.FirstSeen:yyyy-MM-dd HH:mm} — {first.Title}"));
                await stdout.WriteLineAsync("  outlets: " + string.Join(", ", outlets));
                foreach (var (headline, duplicate) in story.Skip(1).Take(MembersShown))
                {
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"  {(duplicate ? "=" : "+")} {headline.FirstSeen:MM-dd HH:mm} {headline.Title} ({headline.Outlet})"));
                }

                if (story.Count > MembersShown + 1)
                {
                    await stdout.WriteLineAsync($"  … {story.Count - MembersShown - 1} more");
                }
            }

            return 0;
        }
        catch (InvalidDataException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 2;
        }
    }
}
