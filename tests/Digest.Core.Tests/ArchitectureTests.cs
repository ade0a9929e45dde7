using System.Text.RegularExpressions;

namespace Digest.Core.Tests;

/// <summary>Core is a library whose folders are layers: one folder may use another, never both ways round.</summary>
public sealed partial class ArchitectureTests
{
    [Fact]
    public void CoreFolders_ReferenceEachOtherWithoutCycles()
    {
        var core = CoreSource();
        Assert.SkipWhen(core is null, "the source of src/Digest.Core is not next to this test build");

        var uses = new Dictionary<string, Dictionary<string, string>>(); // folder -> used folder -> a file that uses it
        var leavesUsingFolders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(core!, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/") && !f.Contains("/bin/")))
        {
            var code = Comments().Replace(Strings().Replace(File.ReadAllText(file), "\"\""), "");
            var folder = Namespace().Match(code).Groups[1].Value;
            if (folder.Length == 0)
            {
                // The root namespace: the composition (DigestCoreSetup), which uses every folder, and leaf helpers every
                // folder may use, which therefore use none.
                if (Path.GetFileName(file) != "DigestCoreSetup.cs")
                {
                    leavesUsingFolders.AddRange(Reference().Matches(code).Select(m => $"{Path.GetRelativePath(core!, file)} uses {m.Groups[1].Value}"));
                }

                continue;
            }

            foreach (Match used in Reference().Matches(code))
            {
                var other = used.Groups[1].Value;
                if (other != folder)
                {
                    uses.TryAdd(folder, []);
                    uses[folder].TryAdd(other, Path.GetRelativePath(core!, file));
                }
            }
        }

        var cycles = uses.SelectMany(edge => edge.Value.Keys
                .Where(other => Reaches(uses, other, edge.Key))
                .Select(other => $"{edge.Key} -> {other} ({edge.Value[other]})"))
            .Order()
            .ToList();
        cycles.ShouldBeEmpty();
        leavesUsingFolders.ShouldBeEmpty();
    }

    private static bool Reaches(Dictionary<string, Dictionary<string, string>> uses, string from, string to)
    {
        var seen = new HashSet<string> { from };
        var next = new Queue<string>([from]);
        while (next.TryDequeue(out var folder))
        {
            foreach (var other in uses.GetValueOrDefault(folder)?.Keys ?? Enumerable.Empty<string>())
            {
                if (other == to)
                {
                    return true;
                }

                if (seen.Add(other))
                {
                    next.Enqueue(other);
                }
            }
        }

        return false;
    }

    private static string? CoreSource()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var core = Path.Combine(directory.FullName, "src", "Digest.Core");
            if (File.Exists(Path.Combine(directory.FullName, "Digest.sln")) && Directory.Exists(core))
            {
                return core;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^namespace Digest\.Core(?:\.(\w+))?", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"\bDigest\.Core\.(\w+)")]
    private static partial Regex Reference();

    [GeneratedRegex("\"(?:\\\\.|[^\"\\\\\\n])*\"")]
    private static partial Regex Strings();

    [GeneratedRegex("//.*")]
    private static partial Regex Comments();
}
