using System.Text.RegularExpressions;

namespace Digest.Core.Summarization;

/// <summary>
/// The dateline wire copy opens with — "MIAMI (Reuters) — ", "KYIV, Dec 5 — ", "Miami, FL – ", "WASHINGTON, Dec. 5 (AP) - "
/// — is the place the story was filed from, not part of its first sentence, and must neither start a key line nor be
/// read as a speaker.
/// </summary>
internal static partial class Dateline
{
    [GeneratedRegex(@"^(?<place>\p{Lu}[\p{L}'’.\-]*(?:\s+\p{Lu}[\p{L}'’.\-]*){0,3})(?:,\s*(?<extra>(?:\p{Lu}[\p{L}.]*\.?)(?:\s+\p{Lu}[\p{L}.]*){0,2}(?:\s+\d{1,2})?))?(?:\s*\((?<agency>[^()\n]{1,40})\))?\s*(?:—|–|--|-)\s+(?=\S)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|July|August|September|October|November|December)\.?\s+\d{1,2}$|^\p{Lu}{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DateOrState();

    /// <summary>The paragraph without its dateline, or as it was when it has none.</summary>
    public static string Strip(string paragraph)
    {
        var leading = paragraph.Length - paragraph.TrimStart().Length;
        var text = paragraph[leading..];
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return paragraph;
        }

        var place = match.Groups["place"].Value;
        var extra = match.Groups["extra"];
        var upper = place.Any(char.IsLetter) && place.Where(char.IsLetter).All(char.IsUpper) && place.Count(char.IsLetter) > 2;
        var dated = extra.Success && DateOrState().IsMatch(extra.Value.Trim());
        var agency = match.Groups["agency"].Success;
        var region = extra.Success && !extra.Value.Any(char.IsDigit) && place.Split(' ').Length <= 2;
        if (!(upper || agency || dated || region))
        {
            return paragraph;
        }

        return paragraph[..leading] + text[match.Length..];
    }

    /// <summary>Every paragraph of a text without its dateline.</summary>
    public static string StripAll(string text) => string.Join('\n', text.Split('\n').Select(Strip));
}
