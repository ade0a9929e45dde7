using Digest.Core;
using Digest.Core.Classification;
using Digest.Core.Stories;
using Digest.Core.Summarization;
using Digest.Worker.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Digest.Worker.Cli;

/// <summary>The <c>digest</c> command line: one verb, its options, and configuration overrides (<c>--Section:Key=value</c>).</summary>
internal static class DigestCli
{
    public const string Usage =
        """
        digest — a news-digest bot that understands the story it follows

        Usage: digest <verb> [options] [--Section:Key=value …]

          once [--format text|markdown|json] [--feeds PATH_OR_URL …] [--since 48h] [--verbose]
                         poll every feed once, run the pipeline and print the digest
          run            start the bot: scheduled polls and digests, chat adapters when tokens are set
          status         every feed's last success, last error and next poll; every channel's last and next digest
          train --labels FILE… [--headlines F] [--until DATE] [--profile F] [--output F] [--no-feedback]
                         rebuild the classifier's model from labelled headlines and the moderators' stored feedback
          eval classify --input F.jsonl --output OUT.jsonl [--labels TSV] [--from D --to D] [--threshold X]
          eval cluster --input F.jsonl [--labels TSV] [--output OUT.tsv] [--all] [--from D --to D] [--no-embeddings]
          eval keylines --input DIR --output OUT.json [--reference DIR] [--k 3]
          help           this text

        Configuration comes from config/appsettings.json, then DIGEST_-prefixed environment variables
        (DIGEST_Storage__ConnectionString), then --Section:Key=value options.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> argv, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var verb = argv.Count > 0 ? argv[0] : "help";
        var rest = argv.Skip(1).ToList();
        var args = Arguments.Parse(rest);
        try
        {
            return verb switch
            {
                "once" => await OnceCommand.RunAsync(args, stdout, stderr, cancellationToken),
                "run" => NoOptions(args, stderr) ? await RunBotAsync(args, stdout, cancellationToken) : 2,
                "status" => NoOptions(args, stderr) ? await StatusCommand.RunAsync(args, stdout, cancellationToken) : 2,
                "train" => await TrainVerb.RunAsync(args, stdout, stderr, cancellationToken),
                "eval" => await EvalAsync(args.VerbWords, stdout, stderr, cancellationToken),
                "help" or "--help" or "-h" => await WriteAsync(stdout, Usage, 0),
                _ => await WriteAsync(stderr, $"Unknown verb '{verb}'.\n\n{Usage}", 2),
            };
        }
        catch (OptionsValidationException e)
        {
            await stderr.WriteLineAsync("Configuration error: " + string.Join("; ", e.Failures));
            return 3;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase))
        {
            // Binding errors name the key: "Failed to convert configuration value at 'Feeds:Timeout' to type 'System.TimeSpan'."
            await stderr.WriteLineAsync("Configuration error: " + e.Message);
            return 3;
        }
        catch (InvalidDataException e)
        {
            await stderr.WriteLineAsync("Configuration error: " + e.Message);
            return 3;
        }
    }

    private static async Task<int> EvalAsync(List<string> words, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var what = words.Count > 0 ? words[0] : "";
        var rest = words.Skip(1).ToList();
        return what switch
        {
            "classify" => await EvalClassifyCommand.RunAsync(rest, stdout, stderr, cancellationToken),
            "cluster" => await EvalClusterVerb.RunAsync(rest, stdout, stderr, cancellationToken),
            "keylines" => await EvalKeyLinesVerb.RunAsync(rest, stdout, stderr, cancellationToken),
            _ => await WriteAsync(stderr, $"eval needs one of: classify, cluster, keylines (not '{what}').\n\n{Usage}", 2),
        };
    }

    /// <summary>Verbs without options of their own still refuse a stray word, so a typo is not silently ignored.</summary>
    private static bool NoOptions(Arguments args, TextWriter stderr) => VerbArguments.Parse(args.VerbWords, [], stderr) is not null;

    private static async Task<int> RunBotAsync(Arguments args, TextWriter stdout, CancellationToken cancellationToken)
    {
        using var host = DigestHost.Build(HostMode.Bot, args.Configuration, stdout, "text");
        await host.RunAsync(cancellationToken);
        return 0;
    }

    private static async Task<int> WriteAsync(TextWriter writer, string text, int code)
    {
        await writer.WriteLineAsync(text);
        return code;
    }
}
