using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Digest.Core.Classification;

/// <summary>
/// A term with its spellings and how much evidence it is. An entity may belong to a <see cref="Party"/> (Putin to
/// Russia, Witkoff to the United States); a phrase, and an entity too, may mark a <see cref="Frame"/> — what kind of
/// event the item reports (a peace process, talks, a meeting, a proposal, the terms of a settlement…, or kinds of news
/// that are not the talks: violence, money, scandal). A spelling may contain "…" for up to three other words.
/// </summary>
internal sealed record WeightedTerm(string Name, IReadOnlyList<string> Aliases, double Weight)
{
    public IEnumerable<string> Spellings => Aliases.Count == 0 ? [Name] : Aliases.Prepend(Name).Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>The party (<see cref="TopicProfile.Parties"/>) this person, place or body stands for.</summary>
    public string? Party { get; init; }

    /// <summary>The kind of event the term marks: one of <see cref="TopicFrames.All"/>.</summary>
    public string? Frame { get; init; }
}

/// <summary>
/// A party to the story: one of the <c>side</c>s at war (Russia, Ukraine), a <c>broker</c> of the talks (the United
/// States), an <c>ally</c> with a stake in them (Europe), or an <c>outsider</c> that deals with a side on its own
/// account (India, China): a side's summit with an outsider is not the talks. Who meets whom decides more than which
/// words an item uses.
/// </summary>
internal sealed record TopicParty(string Name, string Role)
{
    public const string Side = "side";
    public const string Broker = "broker";
    public const string Ally = "ally";
    public const string Outsider = "outsider";

    public static readonly string[] Roles = [Side, Broker, Ally, Outsider];
}

/// <summary>
/// A subtopic tag: it fires when one of its terms occurs and the item names one of its context parties (by default
/// every <c>side</c>: an election story is tagged "elections" only when it is about Russia or Ukraine); with
/// <see cref="NeedsTalks"/> the item must also report talks, a meeting, a proposal or the peace process.
/// </summary>
internal sealed record TopicTag(string Name, IReadOnlyList<string> Terms)
{
    /// <summary>The parties one of which the item must name; empty: any side.</summary>
    public IReadOnlyList<string> Context { get; init; } = [];

    public bool NeedsTalks { get; init; }
}

/// <summary>The kinds of event a term can mark; the model learns how much each says about the story.</summary>
internal static class TopicFrames
{
    /// <summary>The peace process named as such: peace, ceasefire, ending the war.</summary>
    public const string Peace = "peace";

    /// <summary>Negotiating: talks, negotiators, envoys, delegations, rounds, summits.</summary>
    public const string Talks = "talks";

    /// <summary>Meeting, visiting, calling, hosting.</summary>
    public const string Meeting = "meeting";

    /// <summary>A plan, proposal, offer, draft, deal, demands, a deadline.</summary>
    public const string Proposal = "proposal";

    /// <summary>What a settlement is about: guarantees, territory, zones, alliance membership, the army's size.</summary>
    public const string Terms = "terms";

    /// <summary>How talks go: progress, breakthrough, sticking points.</summary>
    public const string Progress = "progress";

    /// <summary>The war itself: war, invasion, conflict.</summary>
    public const string War = "war";

    /// <summary>News that is not the talks: strikes and fighting…</summary>
    public const string Violence = "violence";

    /// <summary>…loans, assets, oil, arms purchases…</summary>
    public const string Money = "money";

    /// <summary>…corruption, espionage, courts.</summary>
    public const string Scandal = "scandal";

    public static readonly string[] All = [Peace, Talks, Meeting, Proposal, Terms, Progress, War, Violence, Money, Scandal];
}

/// <summary>
/// The story a community follows, as data: its parties and the people and places that stand for them, phrases that mark
/// the kinds of event it is made of, exclusions (other stories that look alike), venues, subtopic tags, and examples.
/// Moderators change it through commands.
/// </summary>
internal sealed record TopicProfile
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public double Threshold { get; init; } = 0.5;

    /// <summary>
    /// The bottom of the borderline band: an item scored from here up to <see cref="Threshold"/> is not relevant on its
    /// own, but story context can decide for it (it is relevant when it joins a relevant story). See <see cref="Relevance.Borderline"/>.
    /// </summary>
    public double StoryThreshold { get; init; } = 0.2;

    /// <summary>The trained model file, relative to the config folder (config/models/…).</summary>
    public string Model { get; init; } = "";
    public IReadOnlyList<TopicParty> Parties { get; init; } = [];
    public IReadOnlyList<WeightedTerm> Entities { get; init; } = [];
    public IReadOnlyList<WeightedTerm> Phrases { get; init; } = [];
    public IReadOnlyList<WeightedTerm> Exclusions { get; init; } = [];

    /// <summary>Places of rounds of talks: the clusterer keeps items naming different venues in different stories.</summary>
    public IReadOnlyList<WeightedTerm> Venues { get; init; } = [];

    public IReadOnlyList<TopicTag> Tags { get; init; } = [];

    /// <summary>The entities and the phrases that mark the story's own events (not violence, money or scandal): what key lines favour.</summary>
    [JsonIgnore]
    public IEnumerable<WeightedTerm> StoryTerms => Entities.Concat(Phrases).Where(t => t.Frame is not (TopicFrames.Violence or TopicFrames.Money or TopicFrames.Scandal));
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

    /// <summary>One JSON document a line, for the evaluation files people read: text as written, not \u-escaped.</summary>
    internal static readonly JsonSerializerOptions JsonLines = new(Json) { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TopicProfile Load(string path)
    {
        TopicProfile profile;
        try
        {
            using var stream = File.OpenRead(path);
            profile = JsonSerializer.Deserialize<TopicProfile>(stream, Json) ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"topic profile {path} is not valid: {e.Message}", e);
        }

        if (profile.Problem() is { } problem)
        {
            throw new InvalidDataException($"topic profile {path}: {problem}");
        }

        return profile;
    }

    /// <summary>The first thing in the profile the classifier cannot use, naming where it is; null when it is sound.</summary>
    public string? Problem()
    {
        if (Threshold is < 0 or > 1 || StoryThreshold is < 0 or > 1 || StoryThreshold > Threshold)
        {
            return $"threshold ({Threshold}) and storyThreshold ({StoryThreshold}) must be from 0 to 1, storyThreshold not above threshold";
        }

        if (Parties.FirstOrDefault(p => !TopicParty.Roles.Contains(p.Role)) is { } party)
        {
            return $"parties: '{party.Name}' has role '{party.Role}' (known: {string.Join(", ", TopicParty.Roles)})";
        }

        var parties = Parties.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (section, terms) in new[] { ("entities", Entities), ("phrases", Phrases) })
        {
            if (terms.FirstOrDefault(t => t.Party is { } p && !parties.Contains(p)) is { } unknownParty)
            {
                return $"{section}: '{unknownParty.Name}' names party '{unknownParty.Party}', which is not in parties";
            }

            if (terms.FirstOrDefault(t => t.Frame is { } f && !TopicFrames.All.Contains(f)) is { } unknownFrame)
            {
                return $"{section}: '{unknownFrame.Name}' has frame '{unknownFrame.Frame}' (known: {string.Join(", ", TopicFrames.All)})";
            }
        }

        if (Tags.SelectMany(t => t.Context.Select(c => (Tag: t.Name, Party: c))).FirstOrDefault(x => !parties.Contains(x.Party)) is { Tag: not null } tagContext)
        {
            return $"tags: '{tagContext.Tag}' needs party '{tagContext.Party}', which is not in parties";
        }

        return null;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
