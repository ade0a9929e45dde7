using System.Text.RegularExpressions;
using Digest.Core.Classification;
using Digest.Core.Storage;

namespace Digest.Core.Stories;

/// <summary>
/// Chooses the headline that stands for a story: the one whose lead — the words before its first "as", "amid",
/// "after", colon or dash — says what most of the story's members lead with. A headline that leads with something
/// else ("Russia strikes Kyiv as talks resume" in a talks story) is passed over even when it shares many words. So is
/// a headline that is not the event at all — an explainer, a question, a live page, a round-up — while a member
/// tells the event (<see cref="IsEventHeadline"/>), and a headline too long to read at a glance yields to a shorter one
/// that says as much.
/// </summary>
internal static partial class StoryTitles
{
    /// <summary>A title longer than this reads as a paragraph: it stands for the story only as much shorter as it is longer.</summary>
    internal const int LongTitle = 100;

    private static readonly string[] Breaks = [" as ", " amid ", " after ", " while ", " even as ", ": ", " — ", " – ", " - ", "; "];

    public static StoredItem MostRepresentative(IReadOnlyList<StoredItem> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var index = Choose([.. members.Select(m => m.Item.Title)], [.. members.Select(m => m.Relevance?.Score ?? 0)]);
        return members[index];
    }

    /// <summary>
    /// The index of the title that stands for the story, among the headlines that tell the event when any does; with two
    /// or fewer, the best-scored of those (then the first).
    /// </summary>
    public static int Choose(IReadOnlyList<string> titles, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(titles);
        ArgumentNullException.ThrowIfNull(scores);
        if (titles.Count == 0)
        {
            throw new ArgumentException("a story has at least one member", nameof(titles));
        }

        var events = titles.Select(IsEventHeadline).ToArray();
        if (!events.Contains(true))
        {
            Array.Fill(events, true);
        }

        if (titles.Count <= 2)
        {
            return titles.Count == 2 && events[1] && (!events[0] || scores[1] > scores[0]) ? 1 : 0;
        }

        // Outlets carry the same headline: each distinct headline's words and its share with each other distinct
        // headline are worked out once, then added up over the members in order.
        var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
        var kind = new int[titles.Count];
        for (var i = 0; i < titles.Count; i++)
        {
            if (!distinct.TryGetValue(titles[i], out kind[i]))
            {
                kind[i] = distinct.Count;
                distinct[titles[i]] = kind[i];
            }
        }

        var texts = distinct.OrderBy(d => d.Value).Select(d => d.Key).ToList();
        var words = texts.Select(t => Words(t)).ToList();
        var leads = texts.Select(t => Words(Lead(t))).ToList();
        var share = new double[texts.Count];
        var totals = new double[titles.Count];
        var rowOf = -1;
        foreach (var i in Enumerable.Range(0, titles.Count).OrderBy(i => kind[i]))
        {
            var lead = leads[kind[i]];
            if (rowOf != kind[i])
            {
                rowOf = kind[i];
                for (var b = 0; b < texts.Count && lead.Count > 0; b++)
                {
                    share[b] = lead.Count(words[b].Contains) / Math.Sqrt(lead.Count * (double)Math.Max(1, words[b].Count));
                }
            }

            for (var j = 0; j < titles.Count; j++)
            {
                if (i != j && lead.Count > 0)
                {
                    totals[i] += share[kind[j]];
                }
            }
        }

        var best = 0;
        var bestScore = double.MinValue;
        for (var i = 0; i < titles.Count; i++)
        {
            var score = totals[i] * Math.Min(1, LongTitle / (double)titles[i].Length);
            if (events[i] && score > bestScore + 1e-9)
            {
                bestScore = score;
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// False for a headline that is not an event an editor would head a story with: an explainer ("What to know about …",
    /// "How …", "Why …", "Takeaways from …"), a question, a live page or a round-up ("… live updates", "war briefing:",
    /// "… at a glance"), an opinion or analysis label, a full text.
    /// </summary>
    public static bool IsEventHeadline(string title) => !NotAnEvent().IsMatch(title);

    /// <summary>
    /// The headline as a story's title: without the section label or the live-page label an outlet puts before it
    /// ("World › …", "LIVE: …", "Breaking: …"), the live-page label after it ("…: live updates") or the other topic a
    /// round-up adds ("… And, why the mayor resigned"), when enough is left to stand alone.
    /// </summary>
    public static string Shown(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var shown = title.Trim();
        foreach (var label in (Regex[])[LeadingLabel(), TrailingLabel(), OtherTopic()])
        {
            var rest = label.Replace(shown, "").Trim();
            if (rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 3)
            {
                shown = rest;
            }
        }

        return shown;
    }

    [GeneratedRegex(
        @"^(?:what to know|what we know|what(?:'s|’s| is) next|here(?:'s|’s| is| are)|how|why|explainer|analysis|news analysis|opinion|"
        + @"(?:key )?takeaways|everything you need|full text|timeline|in pictures|in photos|fact check|podcast|(?:\d+|three|five|ten) (?:things|takeaways|questions))\b"
        + @"|(?:^|[-–—|:]\s*)live(?: blog| news)?\s*(?::|$)|\blive updates\b|\bas it happened\b|\bbriefing\s*:|\bat a glance\b|\?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotAnEvent();

    [GeneratedRegex(@"^(?:(?:\p{L}+\s){0,2}\p{L}+\s*[›»]\s*|(?:live(?: updates)?|breaking(?: news)?|watch|video|update)\s*[:|–—-]\s*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingLabel();

    [GeneratedRegex(@"\s*(?::|\||–|—|-)\s*live(?: updates| blog)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TrailingLabel();

    [GeneratedRegex(@"\.\s+(?:And|Plus|Also),\s.*$", RegexOptions.CultureInvariant)]
    private static partial Regex OtherTopic();

    /// <summary>The headline's leading clause (the whole headline when what precedes a break is too short to stand alone).</summary>
    internal static string Lead(string title)
    {
        var cut = title.Length;
        foreach (var mark in Breaks)
        {
            var at = title.IndexOf(mark, StringComparison.OrdinalIgnoreCase);
            if (at > 0 && at < cut && title[..at].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 3)
            {
                cut = at;
            }
        }

        return title[..cut];
    }

    internal static HashSet<string> Words(string title) =>
        Tokenizer.Tokenize(title).Where(w => w.Length > 2 && !Tokenizer.IsStopWord(w)).ToHashSet(StringComparer.Ordinal);
}
