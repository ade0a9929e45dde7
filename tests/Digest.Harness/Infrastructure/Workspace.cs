using System.Text.Json.Nodes;

namespace Digest.Harness.Infrastructure;

/// <summary>
/// A scenario's scratch folder under /tmp (never in the repository): a copy of the repository's config/ whose settings
/// the scenario edits, the database, generated corpora. Removed at the end unless <c>--keep</c>.
/// </summary>
internal sealed class Workspace : IDisposable
{
    private readonly bool keep;

    public Workspace(string scenario, bool keep)
    {
        this.keep = keep;
        Root = Directory.CreateTempSubdirectory($"digest-harness-{scenario}-").FullName;
    }

    public string Root { get; }

    public string ConfigDirectory => Path.Combine(Root, "config");

    /// <summary>What every digest process of the scenario gets: its config folder.</summary>
    public Dictionary<string, string> Environment => new() { ["DIGEST_CONFIG_DIR"] = ConfigDirectory };

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

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
