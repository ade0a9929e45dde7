namespace Digest.Core.Classification;

/// <summary>
/// Decides whether an item is about the tracked story: a trained logistic model over who takes part and what kind of
/// event it is (the profile's parties and frames, see <see cref="TopicFeatures"/>) and over the item's words with
/// names abstracted, calibrated to a probability. Explains itself with the profile terms, the parties and the words that
/// weighed most. A moderator's include/exclude phrases and threshold come from the profile: classify for a community
/// with <see cref="WithProfile"/>.
/// </summary>
internal sealed class TopicClassifier : IRelevanceClassifier
{
    private readonly TopicModel model;
    private readonly TopicFeatures features;
    private readonly TermMatcher tags;
    private readonly int[][] tagContext;
    private readonly int[] sides;
    private readonly TermMatcher include;
    private readonly TermMatcher exclude;
    private readonly string[] exclusionNames;
    private readonly string noContext;

    internal TopicClassifier(TopicProfile profile, TopicModel model)
    {
        this.model = model;
        features = new TopicFeatures(profile);
        tags = new TermMatcher([.. profile.Tags.Select(t => t.Terms)]);
        var parties = profile.Parties.Select(p => p.Name).ToList();
        sides = [.. parties.Select((_, i) => i).Where(i => profile.Parties[i].Role == TopicParty.Side)];
        tagContext = [.. profile.Tags.Select(t => t.Context.Count == 0
            ? sides
            : t.Context.Select(c => parties.FindIndex(p => p.Equals(c, StringComparison.OrdinalIgnoreCase))).ToArray())];
        include = new TermMatcher([.. profile.Include.Select(p => new[] { p })]);
        exclusionNames = [.. profile.Exclusions.Select(e => e.Name)];
        noContext = "no context (" + string.Join("/", sides.Select(i => parties[i])) + ")";
        exclude = new TermMatcher([.. profile.Exclude.Select(p => new[] { p })]);
    }

    public TopicProfile Profile => features.Profile;

    /// <summary>Loads the profile's trained model (its <see cref="TopicProfile.Model"/> path, resolved by the caller).</summary>
    public static TopicClassifier Load(TopicProfile profile, string modelPath)
    {
        try
        {
            return new TopicClassifier(profile, TopicModel.Load(modelPath));
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"topic model {modelPath} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// The same trained model under another profile — typically a community's copy with the moderator's phrases and
    /// threshold: <c>classifier.WithProfile(classifier.Profile with { Include = [...], Exclude = [...], Threshold = 0.7 })</c>.
    /// </summary>
    public TopicClassifier WithProfile(TopicProfile profile) => new(profile, model);

    public Relevance Classify(ClassifierInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var f = features.Extract(TopicFeatures.TextOf(input));
        var score = Math.Round(model.Probability(f), 4);
        var profile = features.Profile;
        var reasons = new List<string>(4);
        if (f.Evidence.Count > 0)
        {
            reasons.Add("matched: " + Names(f.Evidence, features.EvidenceNames));
        }

        reasons.Add(HasSide(f) ? "context: " + Names(f.Parties, features.PartyNames) : noContext);
        if (f.Exclusions.Count > 0)
        {
            reasons.Add("against: " + Names(f.Exclusions, exclusionNames));
        }

        var relevant = score >= profile.Threshold;
        if (relevant && TopWords(f) is { Length: > 0 } words)
        {
            reasons.Add("words: " + words);
        }

        var excluded = exclude.Match(f.Tokens);
        var included = include.Match(f.Tokens);
        if (excluded.Count > 0)
        {
            relevant = false;
            reasons.Add("excluded by moderator: " + string.Join(", ", excluded.Select(i => profile.Exclude[i])));
        }
        else if (included.Count > 0)
        {
            relevant = true;
            reasons.Add("included by moderator: " + string.Join(", ", included.Select(i => profile.Include[i])));
        }

        var borderline = !relevant && excluded.Count == 0 && score >= profile.StoryThreshold;
        if (borderline)
        {
            reasons.Add("borderline: relevant if it joins a relevant story");
        }

        return new Relevance(relevant, score, Tags(f), reasons) { Borderline = borderline };
    }

    /// <summary>A tag's terms count only with its context: a party of the story named, and for some the talks too.</summary>
    private List<string> Tags(ItemFeatures f)
    {
        var found = new List<string>(2);
        foreach (var index in tags.Match(f.Tokens))
        {
            var tag = features.Profile.Tags[index];
            if (Names(tagContext[index], f.Parties) && (!tag.NeedsTalks || f.HasDiplomacy))
            {
                found.Add(tag.Name);
            }
        }

        return found;
    }

    /// <summary>Whether the item names one of <paramref name="wanted"/>.</summary>
    private static bool Names(int[] wanted, List<int> parties)
    {
        foreach (var p in wanted)
        {
            if (parties.Contains(p))
            {
                return true;
            }
        }

        return false;
    }

    private bool HasSide(ItemFeatures f)
    {
        foreach (var p in f.Parties)
        {
            if (Array.IndexOf(sides, p) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static string Names(List<int> indices, string[] names)
    {
        var parts = new string[indices.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = names[indices[i]];
        }

        return string.Join(", ", parts);
    }

    /// <summary>The two words or word pairs that pushed the score up most, for a reader to see what the model saw.</summary>
    private string TopWords(ItemFeatures f)
    {
        const double minimum = 0.01;
        (int Start, int Length, double Weight) first = (0, 0, minimum), second = (0, 0, minimum);
        var tokens = f.Abstracted;
        for (var i = 0; i < tokens.Count; i++)
        {
            Consider(i, 1, model.Weight(TopicFeatures.WordIndex(tokens[i])));
            if (i + 1 < tokens.Count)
            {
                Consider(i, 2, model.Weight(TopicFeatures.BigramIndex(tokens[i], tokens[i + 1])));
            }
        }

        return first.Length == 0 ? "" : second.Length == 0 ? Words(first) : Words(first) + ", " + Words(second);

        void Consider(int start, int length, double weight)
        {
            if (weight <= second.Weight)
            {
                return;
            }

            // A word shows once, alone or in a pair: a stronger pair replaces the word it contains.
            if (Overlaps(first, start, length))
            {
                if (weight > first.Weight)
                {
                    first = (start, length, weight);
                    second = Overlaps(second, start, length) ? (0, 0, minimum) : second;
                }
            }
            else if (weight > first.Weight)
            {
                second = first;
                first = (start, length, weight);
            }
            else
            {
                second = (start, length, weight);
            }
        }

        static bool Overlaps((int Start, int Length, double Weight) chosen, int start, int length) =>
            chosen.Length > 0 && start < chosen.Start + chosen.Length && chosen.Start < start + length;

        string Words((int Start, int Length, double Weight) chosen) =>
            chosen.Length == 1 ? tokens[chosen.Start] : tokens[chosen.Start] + " " + tokens[chosen.Start + 1];
    }
}
