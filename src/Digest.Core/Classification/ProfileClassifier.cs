using System.Text.RegularExpressions;

namespace Digest.Core.Classification;

/// <summary>
/// Scores an item by the profile's evidence alone: entities and phrases for the story, context that must be present,
/// exclusions that veto. Explains itself with the terms it matched.
/// </summary>
public sealed class ProfileClassifier : IRelevanceClassifier
{
    private readonly TopicProfile profile;
    private readonly (WeightedTerm Term, Regex Pattern)[] evidence;
    private readonly (WeightedTerm Term, Regex Pattern)[] context;
    private readonly (WeightedTerm Term, Regex Pattern)[] exclusions;
    private readonly (string Tag, Regex Pattern)[] tags;

    public ProfileClassifier(TopicProfile profile)
    {
        this.profile = profile;
        evidence = [.. profile.Entities.Concat(profile.Phrases).Select(t => (t, Compile(t.Spellings)))];
        context = [.. profile.Context.Select(t => (t, Compile(t.Spellings)))];
        exclusions = [.. profile.Exclusions.Select(t => (t, Compile(t.Spellings)))];
        tags = [.. profile.Tags.Select(kv => (kv.Key, Compile(kv.Value)))];
    }

    public TopicProfile Profile => profile;

    public Relevance Classify(ClassifierInput input)
    {
        var text = input.Summary is { Length: > 0 } summary ? $"{input.Title} {summary}" : input.Title;
        var matched = new List<string>();
        var weight = 0.0;
        foreach (var (term, pattern) in evidence)
        {
            if (pattern.IsMatch(text))
            {
                matched.Add(term.Name);
                weight += term.Weight;
            }
        }

        var contextHits = context.Where(c => c.Pattern.IsMatch(text)).Select(c => c.Term.Name).ToList();
        var excluded = exclusions.Where(c => c.Pattern.IsMatch(text)).Select(c => c.Term).ToList();
        weight -= excluded.Sum(e => e.Weight);
        if (contextHits.Count == 0 && context.Length > 0)
        {
            weight = Math.Min(weight, 0.5);
        }

        var score = 1 / (1 + Math.Exp(-(weight - 2.5)));
        var reasons = new List<string>();
        if (matched.Count > 0)
        {
            reasons.Add("matched: " + string.Join(", ", matched));
        }

        reasons.Add(contextHits.Count > 0 ? "context: " + string.Join(", ", contextHits.Take(3)) : "no Russia/Ukraine context");
        if (excluded.Count > 0)
        {
            reasons.Add("excluded: " + string.Join(", ", excluded.Select(e => e.Name)));
        }

        var itemTags = tags.Where(t => t.Pattern.IsMatch(text)).Select(t => t.Tag).ToList();
        return new Relevance(score >= profile.Threshold, Math.Round(score, 4), itemTags, reasons);
    }

    private static Regex Compile(IEnumerable<string> spellings) => new(
        @"\b(?:" + string.Join('|', spellings.Select(Regex.Escape)) + @")\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
}
