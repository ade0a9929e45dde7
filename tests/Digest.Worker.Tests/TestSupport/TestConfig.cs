using System.Text.Json.Nodes;

namespace Digest.Worker.Tests.TestSupport;

/// <summary>A copy of the repository's config folder whose feed list a test chooses.</summary>
public static class TestConfig
{
    public static string Create(string directory, params string[] feeds)
    {
        var source = Path.Combine(Cli.RepositoryRoot(), "config");
        var target = Path.Combine(directory, "config");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }

        var settingsPath = Path.Combine(target, "appsettings.json");
        var settings = JsonNode.Parse(File.ReadAllText(settingsPath))!;
        settings["Feeds"]!["Sources"] = new JsonArray(feeds.Select(f => (JsonNode)new JsonObject { ["Url"] = f }).ToArray());
        File.WriteAllText(settingsPath, settings.ToJsonString());
        return target;
    }
}
