using System.Text.Json.Nodes;
using Digest.Core;

namespace Digest.Harness.Infrastructure;

/// <summary>
/// A scenario's scratch folder under /tmp (never in the repository): a copy of the repository's config/ whose settings
/// the scenario edits, the database, generated corpora. Removed at the end unless <c>--keep</c>; a run stopped before
/// its end leaves its folder, which the next run removes.
/// </summary>
internal sealed class Workspace : IDisposable
{
    private const string Prefix = "digest-harness-";

    /// <summary>Marks a folder made with <c>--keep</c>, which no later run removes.</summary>
    private const string KeptMarker = ".kept";

    private readonly bool keep;

    public Workspace(string scenario, bool keep)
    {
        this.keep = keep;
        RemoveAbandoned();
        Root = Directory.CreateTempSubdirectory($"{Prefix}{scenario}-{System.Environment.ProcessId}-").FullName;
        if (keep)
        {
            File.WriteAllText(Path.Combine(Root, KeptMarker), "");
        }
    }

    public string Root { get; }

    public string ConfigDirectory => Path.Combine(Root, "config");

    /// <summary>The workspace's config, and the bot's web host on a free loopback port (never the default :8080 someone else may hold).</summary>
    public Dictionary<string, string> Environment => new() { ["DIGEST_CONFIG_DIR"] = ConfigDirectory, ["DIGEST_Web__Urls"] = "http://127.0.0.1:0" };

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Copies the built digest's config/ (the repository's, copied next to digest.dll) and lets the scenario edit appsettings.json.</summary>
    public void WriteConfig(Action<JsonNode> edit)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "config");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(ConfigDirectory, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }

        var settingsPath = Path.Combine(ConfigDirectory, "appsettings.json");
        var settings = JsonNode.Parse(File.ReadAllText(settingsPath))!;
        edit(settings);
        File.WriteAllText(settingsPath, settings.ToJsonString());
    }

    /// <summary>Sets the configured feeds to <paramref name="urls"/> (URLs or paths).</summary>
    public static void SetFeeds(JsonNode settings, IEnumerable<string> urls, TimeSpan? interval = null)
    {
        settings["Feeds"]!["Sources"] = new JsonArray(urls.Select(u => (JsonNode)new JsonObject { ["Url"] = u }).ToArray());
        if (interval is { } every)
        {
            settings["Feeds"]!["DefaultInterval"] = every.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public void Dispose()
    {
        if (keep)
        {
            Console.Error.WriteLine($"kept {Root}");
            return;
        }

        TryDelete(Root);
    }

    /// <summary>
    /// The folders of runs that were killed (a filled database can take gigabytes): those whose harness process is gone,
    /// unless made with <c>--keep</c>. A folder whose name carries no process id is left alone.
    /// </summary>
    private static void RemoveAbandoned()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var parts = Path.GetFileName(folder).Split('-');
            if (parts.Length < 2 || !int.TryParse(parts[^2], out var pid) || LocalProcess.IsRunning(pid) || File.Exists(Path.Combine(folder, KeptMarker)))
            {
                continue;
            }

            Console.Error.WriteLine($"removing {folder}, left by a harness run that was stopped");
            TryDelete(folder);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
