using Digest.Harness.Infrastructure;
using Digest.Harness.Scenarios;

const string Usage =
    """
    Digest load and chaos harness — drives the real `digest` executable and reports what it measured.

    Usage: dotnet run -c Release --project tests/Digest.Harness -- <scenario> [--quick] [--json] [--keep] [--echo] [options]

      ingest     `digest once` over 45 copies of ../shared/data/feeds/real (≥ 50,000 unique items) against
                 CodeHollow.FeedReader alone on the same files          [--copies 45] [--scale 5,15,45] [--timeout 3600]
      farm       `digest run` against a loopback feed farm: first cycle, second (mostly 304) cycle, RSS, DB size
                                                                         [--feeds 10000] [--items 23] [--interval 600] [--changed 1] [--timeout 1200]
      search     /search latency percentiles through a fake Bot API at 1,000,000 items, and /help acknowledgement
                                                                         [--items 1000000] [--queries 200] [--provider sqlite|postgres|both] [--sqlite-file path] [--postgres connection-string]
      isolation  chat A's replies held by 429 retry_after 20; how long a /help in chat B waits
                                                                         [--retry-after 20] [--floods 6] [--limit 300]
      chaos      kill -9 `digest run` N times, at random and aimed at sends in flight; lost and doubled work
                                                                         [--kills 30] [--item-every 3] [--settle 60] [--discord webhook|webhook+bot] [--set Key=Value,…]
      hanging    a Discord API that accepts connections and never answers: does the bot stay up, do the
                 console and Telegram go on                              [--duration 150] [--set Key=Value,…]
      all        every scenario in turn

      --quick    a scaled-down run (a minute or two per scenario)
      --json     the report as JSON
      --keep     keep the workspace under /tmp (config, database, corpus)
      --echo     echo the digest processes' output to standard error
    """;

if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args.Skip(1));
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (SharedData.Directory is null)
{
    Console.Error.WriteLine("../shared is absent: the harness reads third-party data (feeds, headlines, API specs) from there.");
    return 2;
}

Func<HarnessOptions, Task<Report>>[] scenarios = args[0] switch
{
    "ingest" => [IngestScenario.RunAsync],
    "farm" => [FarmScenario.RunAsync],
    "search" => [SearchScenario.RunAsync],
    "isolation" => [IsolationScenario.RunAsync],
    "chaos" => [ChaosScenario.RunAsync],
    "hanging" => [HangingScenario.RunAsync],
    "all" => [IngestScenario.RunAsync, FarmScenario.RunAsync, SearchScenario.RunAsync, IsolationScenario.RunAsync, ChaosScenario.RunAsync, HangingScenario.RunAsync],
    _ => [],
};

if (scenarios.Length == 0)
{
    Console.Error.WriteLine($"Unknown scenario '{args[0]}'.\n\n{Usage}");
    return 2;
}

// A mistyped option is refused before a long run, not silently ignored.
Dictionary<string, string[]> known = new()
{
    ["ingest"] = ["--copies", "--scale", "--timeout"],
    ["farm"] = ["--feeds", "--items", "--interval", "--changed", "--timeout"],
    ["search"] = ["--items", "--queries", "--helps", "--provider", "--sqlite-file", "--postgres"],
    ["isolation"] = ["--retry-after", "--floods", "--limit"],
    ["chaos"] = ["--kills", "--item-every", "--settle", "--discord", "--set"],
    ["hanging"] = ["--duration", "--set"],
};
var allowed = args[0] == "all" ? known.Values.SelectMany(v => v).ToHashSet() : known[args[0]].ToHashSet();
if (options.Given.Where(g => !allowed.Contains(g)).ToList() is { Count: > 0 } unknown)
{
    Console.Error.WriteLine($"unknown option(s) for {args[0]}: {string.Join(", ", unknown)}\n\n{Usage}");
    return 2;
}

var failed = false;
foreach (var scenario in scenarios)
{
    try
    {
        var report = await scenario(options);
        report.Write(Console.Out, options.Json);
    }
    catch (Exception e) when (e is not OutOfMemoryException)
    {
        Console.Error.WriteLine($"{args[0]}: {e}");
        failed = true;
    }
}

return failed ? 1 : 0;
