using Digest.Core;
using Digest.Core.Classification;
using Digest.Core.Storage;
using Digest.Core.Stories;
using Digest.Storage;
using Digest.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Digest.Worker.Cli;

/// <summary>The <c>digest</c> command line: one verb, its options, and configuration overrides (<c>--Section:Key=value</c>).</summary>
internal static class DigestCli
{
    /// <summary>What <c>digest</c> exits with (README, Configuration).</summary>
    public static class ExitCodes
    {
        public const int Ok = 0;

        /// <summary><c>once</c>: every feed failed.</summary>
        public const int FeedsFailed = 1;

        public const int Usage = 2;

        /// <summary>A bad setting, or a database that cannot be used (read-only, corrupt, unreachable, refused).</summary>
        public const int Configuration = 3;

        /// <summary>The database file was deleted or replaced while the bot ran.</summary>
        public const int StorageLost = WorkerExit.StorageLost;

        /// <summary>An error the bot did not expect: a bug to report (sysexits' EX_SOFTWARE).</summary>
        public const int Unexpected = 70;

        /// <summary>A verb other than <c>run</c> stopped by Ctrl-C or SIGTERM before its end (128 + SIGINT).</summary>
        public const int Interrupted = 130;
    }

    public const string Usage =
        """
        digest — a news-digest bot that understands the story it follows

        Usage: digest <verb> [options] [--Section:Key=value …]

          once [--format text|markdown|json] [--feeds PATH_OR_URL …] [--since 48h] [--verbose]
                         poll every feed once, run the pipeline and print the digest
          run            start the bot: scheduled polls and digests, chat adapters when tokens are set
          status         every feed's last success, last error and next poll; every channel's last and next digest
          feeds check URL_OR_PATH [--format text|json]
                         fetch and parse one feed as polling would; show its title, format, encoding, items and warnings
          train --labels FILE… [--headlines F] [--until DATE] [--profile F] [--output F] [--no-feedback]
                         rebuild the classifier's model from labelled headlines and the moderators' stored feedback
          train stories --input F.jsonl --labels TSV [--output F]
                         rebuild the story clusterer's same-event model (config/models/story-pairs.json) from an editor's stories
          eval classify --input F.jsonl --output OUT.jsonl [--labels TSV] [--from D --to D] [--threshold X]
          eval classify --rolling [D …] --input F.jsonl --labels TSV [--horizon DAYS] [--from D --to D]
                         the classifier on a fixed split, or retrained at each origin d and tested on the days after
          eval cluster --input F.jsonl [--labels TSV] [--output OUT.tsv] [--all] [--from D --to D] [--no-embeddings] [--rolling]
                         [--clusterer pairs|rules|incremental] [--story-model F]
          eval keylines --input DIR --output OUT.json [--reference DIR] [--k 3]
          eval attribution --input F.jsonl --articles DIR --output O.jsonl
          help           this text; digest VERB --help shows that verb's options

        Configuration comes from config/appsettings.json, then DIGEST_-prefixed environment variables
        (DIGEST_Storage__ConnectionString), then --Section:Key=value options.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var verb = argv.Count > 0 ? argv[0] : "help";
        var rest = argv.Skip(1).ToList();
        var args = Arguments.Parse(rest);
        if (verb is not ("help" or "--help" or "-h") && args.VerbWords.Any(w => w is "--help" or "-h"))
        {
            return await WriteAsync(stdout, HelpFor(verb), ExitCodes.Ok);
        }

        try
        {
            return verb switch
            {
                "once" => await OnceCommand.RunAsync(args, stdout, stderr, cancellationToken),
                "run" => NoOptions(args, stderr) ? await RunBotAsync(args, stdout, stderr, cancellationToken) : 2,
                "status" => NoOptions(args, stderr) ? await StatusCommand.RunAsync(args, stdout, cancellationToken) : 2,
                "feeds" => await FeedsVerb.RunAsync(args, stdout, stderr, cancellationToken),
                "train" when args.VerbWords is ["stories", ..] => await TrainStoriesVerb.RunAsync(args.VerbWords.Skip(1).ToList(), stdout, stderr, cancellationToken),
                "train" => await TrainVerb.RunAsync(args, stdout, stderr, cancellationToken),
                "eval" => await EvalAsync(args.VerbWords, stdout, stderr, cancellationToken),
                "help" or "--help" or "-h" => await WriteAsync(stdout, Usage, 0),
                _ => await WriteAsync(stderr, $"Unknown verb '{verb}'.\n\n{Usage}", 2),
            };
        }
        catch (OptionsValidationException e)
        {
            await stderr.WriteLineAsync("Configuration error: " + string.Join("; ", e.Failures));
            return ExitCodes.Configuration;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase))
        {
            // Binding errors name the key: "Failed to convert configuration value at 'Feeds:Timeout' to type 'System.TimeSpan'."
            await stderr.WriteLineAsync("Configuration error: " + e.Message);
            return ExitCodes.Configuration;
        }
        catch (InvalidDataException e)
        {
            // "Failed to load configuration from file '…'." says which file; the exceptions inside it say what is wrong there and
            // where: "Could not parse the JSON file. '0' is an invalid start of a value. LineNumber: 2 | BytePositionInLine: 15."
            var why = new List<string>();
            for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            {
                why.Add(inner.Message.Split('\n', 2)[0].Trim());
            }

            await stderr.WriteLineAsync(string.Join(' ', ["Configuration error: " + e.Message, .. why]));
            return ExitCodes.Configuration;
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || e.Message.StartsWith("Failed to bind", StringComparison.Ordinal))
        {
            // Kestrel: "Failed to bind to address http://127.0.0.1:8080: address already in use."
            await stderr.WriteLineAsync($"Configuration error: Web:Urls: {e.Message} Stop what uses it, or set another address (DIGEST_Web__Urls).");
            return ExitCodes.Configuration;
        }
        catch (StorageException e)
        {
            await stderr.WriteLineAsync("Storage error: " + e.Message);
            return ExitCodes.Configuration;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("Interrupted: stopped before the end.");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (StorageFaults.Describe(e) is { } fault)
        {
            // A database fault after startup went well (the file removed, the server gone between two steps).
            await stderr.WriteLineAsync("Storage error: " + fault);
            return ExitCodes.Configuration;
        }
        catch (Exception e)
        {
            await stderr.WriteLineAsync($"Unexpected error: {e.GetType().Name}: {e.Message.Split('\n', 2)[0].Trim()}{Where(e)}");
            return ExitCodes.Unexpected;
        }
    }

    /// <summary>
    /// What <c>digest VERB --help</c> prints: that verb's entries of <see cref="Usage"/> (an entry starts two spaces in, its
    /// description is indented further), and how configuration is given; the whole text for a verb it does not know.
    /// </summary>
    private static string HelpFor(string verb)
    {
        var lines = Usage.Split('\n');
        var entries = new List<string>();
        var mine = false;
        foreach (var line in lines.SkipWhile(l => !l.StartsWith("Usage:", StringComparison.Ordinal)).Skip(1))
        {
            if (line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal))
            {
                mine = line[2..].Split(' ', 2)[0] == verb;
            }

            if (mine && line.Length > 0)
            {
                entries.Add(line);
            }
        }

        return entries.Count == 0
            ? Usage
            : $"Usage: digest {verb} [options] [--Section:Key=value …]\n\n{string.Join('\n', entries)}\n\n{string.Join('\n', lines.SkipWhile(l => !l.StartsWith("Configuration comes", StringComparison.Ordinal)))}";
    }

    /// <summary>The innermost of our own frames, so a report of an unexpected error says where without a stack trace.</summary>
    private static string Where(Exception e)
    {
        var frame = new System.Diagnostics.StackTrace(e, fNeedFileInfo: false).GetFrames()
            .Select(f => f.GetMethod())
            .FirstOrDefault(m => m?.DeclaringType?.FullName?.StartsWith("Digest.", StringComparison.Ordinal) == true);
        return frame is null ? "" : $" (in {frame.DeclaringType!.FullName}.{frame.Name})";
    }

    private static async Task<int> EvalAsync(List<string> words, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var what = words.Count > 0 ? words[0] : "";
        var rest = words.Skip(1).ToList();
        return what switch
        {
            "classify" => await EvalClassifyVerb.RunAsync(rest, stdout, stderr, cancellationToken),
            "cluster" => await EvalClusterVerb.RunAsync(rest, stdout, stderr, cancellationToken),
            "keylines" => await EvalKeyLinesVerb.RunAsync(rest, stdout, stderr, cancellationToken),
            "attribution" => await EvalAttributionVerb.RunAsync(rest, stdout, stderr, cancellationToken),
            _ => await WriteAsync(stderr, $"eval needs one of: classify, cluster, keylines, attribution (not '{what}').\n\n{Usage}", 2),
        };
    }

    /// <summary>Verbs without options of their own still refuse a stray word, so a typo is not silently ignored.</summary>
    private static bool NoOptions(Arguments args, TextWriter stderr) => VerbArguments.Parse(args.VerbWords, [], stderr) is not null;

    /// <summary>
    /// Runs the bot until the token (Ctrl-C, SIGTERM) or a service (the database watchdog) stops it. A stop during
    /// startup is a clean exit, not an error; a stop that outlasts <see cref="DigestHost.ShutdownTimeout"/> (a database
    /// call that does not listen to cancellation) is cut short: what was left is picked up at the next start.
    /// </summary>
    private static async Task<int> RunBotAsync(Arguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var host = DigestHost.Build(HostMode.Bot, args.Configuration, stdout, "text");
        using var onlyWorker = SqliteWorkerLock.Acquire(host.Services.GetRequiredService<IDigestStore>());
        var exit = host.Services.GetRequiredService<WorkerExit>();
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        // Off this thread: SQLite's calls are synchronous underneath (a migration waiting on another process's lock blocks
        // its caller), and this thread must stay free to notice the stop and end within the grace period.
        var running = Task.Run(() => host.RunAsync(cancellationToken), CancellationToken.None);

        using var stopAsked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        await Task.WhenAny(running, Task.Delay(Timeout.InfiniteTimeSpan, stopAsked.Token));
        if (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(DigestHost.ShutdownTimeout + TimeSpan.FromSeconds(1), TimeProvider.System, CancellationToken.None));
        }

        if (!running.IsCompleted)
        {
            await stderr.WriteLineAsync($"Stopped after {DigestHost.ShutdownTimeout.TotalSeconds:0} s with work unfinished; it is picked up at the next start.");
            return exit.Code;
        }

        try
        {
            await running;
        }
        catch (OperationCanceledException) when (stopAsked.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("Stopped during startup.");
        }

        if (exit.Reason is { } reason)
        {
            await stderr.WriteLineAsync("Storage error: " + reason);
        }

        return exit.Code;
    }

    private static async Task<int> WriteAsync(TextWriter writer, string text, int code)
    {
        await writer.WriteLineAsync(text);
        return code;
    }
}
