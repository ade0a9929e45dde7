using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Digest.Harness.Infrastructure;

/// <summary>One measured figure: what, its value (as shown and as a number), and the issue's target when there is one.</summary>
internal sealed record Figure(string Name, string Shown, double? Value = null, string? Unit = null, string? Target = null, bool? Met = null);

/// <summary>What a scenario measured, printed as a table (or JSON with <c>--json</c>), with the machine it ran on.</summary>
internal sealed class Report(string scenario)
{
    private readonly List<Figure> figures = [];
    private readonly List<string> notes = [];

    public string Scenario { get; } = scenario;

    public IReadOnlyList<Figure> Figures => figures;

    public void Add(string name, double value, string unit, string format = "0.##", string? target = null, bool? met = null) =>
        figures.Add(new Figure(name, value.ToString(format, CultureInfo.InvariantCulture) + (unit.Length > 0 ? " " + unit : ""), value, unit, target, met));

    public void Add(string name, string shown, string? target = null, bool? met = null) => figures.Add(new Figure(name, shown, null, null, target, met));

    /// <summary>A figure against an upper bound: met when <paramref name="value"/> ≤ <paramref name="most"/>.</summary>
    public void AtMost(string name, double value, string unit, double most, string format = "0.##") =>
        Add(name, value, unit, format, $"≤ {most.ToString(format, CultureInfo.InvariantCulture)}{(unit.Length > 0 ? " " + unit : "")}", value <= most);

    /// <summary>A figure against a lower bound: met when <paramref name="value"/> ≥ <paramref name="least"/>.</summary>
    public void AtLeast(string name, double value, string unit, double least, string format = "0.##") =>
        Add(name, value, unit, format, $"≥ {least.ToString(format, CultureInfo.InvariantCulture)}{(unit.Length > 0 ? " " + unit : "")}", value >= least);

    public void Note(string text) => notes.Add(text);

    public void Write(TextWriter output, bool json)
    {
        if (json)
        {
            var node = new JsonObject
            {
                ["scenario"] = Scenario,
                ["machine"] = Machine.Describe(),
                ["figures"] = new JsonArray(figures.Select(f => (JsonNode)new JsonObject
                {
                    ["name"] = f.Name,
                    ["shown"] = f.Shown,
                    ["value"] = f.Value is { } v && double.IsFinite(v) ? v : null,
                    ["unit"] = f.Unit,
                    ["target"] = f.Target,
                    ["met"] = f.Met,
                }).ToArray()),
                ["notes"] = new JsonArray(notes.Select(n => (JsonNode)n).ToArray()),
            };
            output.WriteLine(node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        output.WriteLine();
        output.WriteLine($"## {Scenario} — {Machine.Describe()}");
        output.WriteLine();
        output.WriteLine("| figure | value | target | met |");
        output.WriteLine("|---|---|---|---|");
        foreach (var f in figures)
        {
            output.WriteLine($"| {f.Name} | {f.Shown} | {f.Target ?? ""} | {f.Met switch { true => "yes", false => "**no**", null => "" }} |");
        }

        foreach (var note in notes)
        {
            output.WriteLine();
            output.WriteLine("- " + note);
        }
    }
}

/// <summary>The machine a figure was measured on: cores, CPU model, memory, .NET, and the load when the run began.</summary>
internal static class Machine
{
    private static readonly Lazy<string> Description = new(() =>
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal)) is { } line
                ? $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024 / 1024} GB"
                : null
            : null;
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return $"{Environment.ProcessorCount} cores {model ?? "unknown CPU"}, {memory ?? "? GB"}, .NET {Environment.Version}, load {load} at start";
    });

    public static string Describe() => Description.Value;
}
