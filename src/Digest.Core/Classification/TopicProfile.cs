using System.Text.Json;
using System.Text.Json.Serialization;

namespace Digest.Core.Classification;

/// <summary>A term with its spellings and how much evidence it is.</summary>
public sealed record WeightedTerm(string Name, IReadOnlyList<string> Aliases, double Weight)
{
    public IEnumerable<string> Spellings => Aliases.Count == 0 ? [Name] : Aliases.Prepend(Name).Distinct(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// The story a community follows, as data: phrases and entities that are evidence for it, the context that must be
/// present, exclusions and hard negatives, subtopic tags, and examples. Moderators change it through commands.
/// </summary>
public sealed record TopicProfile
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public double Threshold { get; init; } = 0.5;

    /// <summary>The trained model file, relative to the config folder (config/models/…).</summary>
    public string Model { get; init; } = "";
    public IReadOnlyList<WeightedTerm> Entities { get; init; } = [];
    public IReadOnlyList<WeightedTerm> Phrases { get; init; } = [];
    public IReadOnlyList<WeightedTerm> Context { get; init; } = [];
    public IReadOnlyList<WeightedTerm> Exclusions { get; init; } = [];
    /// <summary>Places of rounds of talks: the clusterer keeps items naming different venues in different stories.</summary>
    public IReadOnlyList<WeightedTerm> Venues { get; init; } = [];

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Tags { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyList<string> PositiveExamples { get; init; } = [];
    public IReadOnlyList<string> NegativeExamples { get; init; } = [];

    /// <summary>A moderator's phrases: an item containing one is kept whatever its score.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>A moderator's phrases: an item containing one is dropped whatever its score (wins over <see cref="Include"/>).</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    internal static readonly JsonSerializerOptions JsonLines = new(Json) { WriteIndented = false };

    public static TopicProfile Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<TopicProfile>(stream, Json) ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"topic profile {path} is not valid: {e.Message}", e);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
