using System.Diagnostics;
using System.Globalization;
using Digest.Harness.Infrastructure;
using CodeHollowReader = CodeHollow.FeedReader.FeedReader;

namespace Digest.Harness.Scenarios;

/// <summary>
/// <c>digest once</c> over copies of the real feeds with unique guids and links (45 copies ≈ 51,000 items), against
/// CodeHollow.FeedReader alone parsing the same files in the same run: items/s, wall and CPU time, peak RSS, database
/// size, and the ratio to the parser. <c>--scale 5,15,45</c> repeats the bot's run at several corpus sizes to show
/// whether peak RSS grows with the corpus.
/// </summary>
internal static class IngestScenario
{
    public static async Task<Report> RunAsync(HarnessOptions options)
    {
        var copies = options.Int("--copies", 45, 5);
        var scale = options.String("--scale", "", "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var timeout = options.Seconds("--timeout", 3600, 600);
        var report = new Report($"ingest: digest once over {copies} copies of the real feeds");
        using var workspace = new Workspace("ingest", options.Keep);

        Progress.Say($"writing {copies} copies of {Corpus.RealFeeds} to {workspace.Root}/corpus");
        var files = Corpus.WriteCopies(workspace.PathOf("corpus"), Math.Max(copies, scale.DefaultIfEmpty(0).Max()));
        var main = files.Where(f => CopyOf(f) < copies).ToList();

        var parser = ParseAlone(main);
        Progress.Say($"CodeHollow.FeedReader alone: {parser.Items:N0} items in {parser.Wall.TotalSeconds:0.00} s");

        var bot = await RunOnceAsync(workspace, "main", main, options, timeout);
        var botRate = bot.Items / bot.Wall.TotalSeconds;
        var parserRate = parser.Items / parser.Wall.TotalSeconds;
        report.Add("corpus", $"{main.Count:N0} feed files, {parser.Items:N0} items (CodeHollow count), {main.Sum(f => new FileInfo(f).Length) / 1024.0 / 1024.0:0.0} MB");
        report.Add("digest once: exit code", bot.Exit is null ? $"still running after {timeout.TotalSeconds:0} s (killed)" : bot.Exit == 0 ? "0" : $"{bot.Exit}: {bot.Crash}", "0", bot.Exit == 0);
        report.Add("digest once: items stored", bot.Items, "", "N0");
        report.Add("digest once: feeds that failed", bot.FailedFeeds == 0 ? "0" : $"{bot.FailedFeeds}, e.g. {bot.FirstFailure}");
        report.Add("digest once: items unprocessed at exit", bot.Unprocessed, "", "N0");
        report.Add("digest once: wall time", bot.Wall.TotalSeconds, "s", "0.0");
        report.Add("digest once: CPU time (user+sys)", bot.Cpu.TotalSeconds, "s", "0.0");
        report.Add("digest once: CPU per item", bot.Cpu.TotalMilliseconds / Math.Max(1, bot.Items), "ms", "0.000");
        report.Add("digest once: items/s", botRate, "items/s", "N0");
        report.AtMost("digest once: peak RSS (VmHWM)", bot.PeakRssMb, "MB", 300, "0");
        report.Add("database size", bot.DatabaseMb, "MB", "0.0");
        report.Add("CodeHollow.FeedReader alone: items/s", parserRate, "items/s", "N0");
        report.Add("CodeHollow.FeedReader alone: wall time", parser.Wall.TotalSeconds, "s", "0.00");
        report.Add("CodeHollow.FeedReader alone: CPU time", parser.Cpu.TotalSeconds, "s", "0.00");
        report.AtLeast("ratio digest once / parser alone (items/s, wall)", botRate / parserRate, "", 0.5, "0.000");
        report.Add("ratio digest once / parser alone (items per CPU second)", (bot.Items / bot.Cpu.TotalSeconds) / (parser.Items / parser.Cpu.TotalSeconds), "", "0.000");

        foreach (var size in scale)
        {
            var subset = files.Where(f => CopyOf(f) < size).ToList();
            var run = await RunOnceAsync(workspace, $"scale{size}", subset, options, timeout);
            report.AtMost($"--scale {size} copies ({run.Items:N0} items{(run.Exit == 0 ? "" : $", exit {run.Exit}")}): peak RSS", run.PeakRssMb, "MB", 300, "0");
            report.Add($"--scale {size} copies: items/s", run.Items / run.Wall.TotalSeconds, "items/s", "N0");
        }

        report.Note("Items/s is items stored over the process's wall time (start to exit, .NET start-up included). "
            + "The parser alone reads each file from disk and parses it with CodeHollow.FeedReader.ReadFromByteArray, one thread, after one warm-up copy. "
            + "On a loaded machine the CPU-time ratio is the steadier of the two. "
            + "Full-text article fetching is off (Summarization:FullText:Enabled=false): the corpus links point to the internet.");
        return report;
    }

    private static int CopyOf(string file) => int.Parse(Path.GetFileName(Path.GetDirectoryName(file)!)[1..], CultureInfo.InvariantCulture);

    private static (long Items, TimeSpan Wall, TimeSpan Cpu) ParseAlone(IReadOnlyList<string> files)
    {
        // Warm-up: JIT and the file cache, over the first copy.
        foreach (var file in files.Where(f => CopyOf(f) == 0))
        {
            CodeHollowReader.ReadFromByteArray(File.ReadAllBytes(file));
        }

        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long items = 0;
        foreach (var file in files)
        {
            items += CodeHollowReader.ReadFromByteArray(File.ReadAllBytes(file)).Items.Count;
        }

        var wall = clock.Elapsed;
        self.Refresh();
        return (items, wall, self.TotalProcessorTime - cpu);
    }

    internal sealed record OnceRun(int? Exit, long Items, long Unprocessed, TimeSpan Wall, TimeSpan Cpu, double PeakRssMb, double DatabaseMb, int FailedFeeds, string? FirstFailure, string? Crash);

    private static async Task<OnceRun> RunOnceAsync(Workspace workspace, string name, IReadOnlyList<string> files, HarnessOptions options, TimeSpan timeout)
    {
        var storage = BotStorage.Sqlite(workspace.PathOf($"{name}.db"));
        workspace.WriteConfig(settings => Workspace.SetFeeds(settings, files));
        Progress.Say($"digest once over {files.Count:N0} feed files ({name})");
        await using var process = DigestProcess.Start("once", [.. storage.Arguments, "--Summarization:FullText:Enabled=false"], workspace.Environment, options.Echo);
        var exit = await process.WaitForExitAsync(timeout);
        var wall = process.Elapsed;
        if (exit is null)
        {
            await process.KillAsync();
        }
        else
        {
            await process.KillAsync(); // already ended: stops the sampler
        }

        if (exit is not (null or 0))
        {
            Progress.Say($"digest once exited with {exit}:\n{process.Tail()}");
        }

        var (items, unprocessed) = await BotDatabase.CountItemsAsync(storage);
        var size = await BotDatabase.SizeMbAsync(storage);
        Progress.Say($"{name}: {items:N0} items in {wall.TotalSeconds:0.0} s, CPU {process.CpuTime.TotalSeconds:0.0} s, peak RSS {process.PeakRssMb:0} MB");
        // `once` reports each feed that failed on standard error, one line each: "feed NAME (URL): error".
        var failures = process.Errors.Where(l => l.Text.StartsWith("feed ", StringComparison.Ordinal)).Select(l => l.Text).ToList();
        var crash = process.Errors.Select(l => l.Text).FirstOrDefault(l => l.StartsWith("Unhandled exception", StringComparison.Ordinal)) ?? process.Errors.LastOrDefault()?.Text;
        return new OnceRun(exit, items, unprocessed, wall, process.CpuTime, process.PeakRssMb, size, failures.Count, failures.FirstOrDefault(), crash);
    }
}
