using System.Text.RegularExpressions;

namespace Digest.Core.Summarization;

/// <summary>
/// What an editor strikes from a story's key lines whatever it scores: the feed's furniture (a "Continue reading" link,
/// "The post … appeared first on …", a sign-up call, a photo credit, a byline, leftover markup), a sentence the feed
/// cut off ("… the two leaders should meet as soon as …"), and — kept only when nothing else is left — a question or a
/// sentence that leans on the one before it ("But …", "And …"), which says nothing to a reader who has not read that one.
/// </summary>
internal static partial class KeyLineFilter
{
    /// <summary>True for a line that is the feed's or the site's furniture rather than the story's: never a key line.</summary>
    public static bool IsBoilerplate(string line) => Furniture().IsMatch(line) || Markup().IsMatch(line);

    /// <summary>True for a sentence the feed cut short: it ends in an ellipsis or holds an elision mark "[…]".</summary>
    public static bool IsCutOff(string line)
    {
        var end = line.AsSpan().TrimEnd().TrimEnd("\"”’»)");
        return end.EndsWith("...", StringComparison.Ordinal) || end.EndsWith("…", StringComparison.Ordinal)
            || line.Contains("[…]", StringComparison.Ordinal) || line.Contains("[...]", StringComparison.Ordinal);
    }

    /// <summary>True for a line that asks rather than tells. A quoted question ("“Why now?” she asked.") says who asked, and stays.</summary>
    public static bool IsQuestion(string line) => line.TrimEnd().EndsWith('?');

    /// <summary>True for a sentence that opens on the one before it ("But …", "And …"): a reader of a digest gets it alone.</summary>
    public static bool LeansOnContext(string line) => Connective().IsMatch(line);

    [GeneratedRegex(
        @"\bappeared first on\b|\berschien zuerst auf\b|\bcontinue reading\b|^\s*read more\b|\bread more\s*(?::|»|›|…|about\b)|\bread the full (?:story|article)\b|\bclick here\b|"
        + @"\bsign up (?:now|today|here|free|for (?:our|free|a free|the newsletter)|to (?:get|receive|our))\b|\bsubscribe (?:now|today|here)\b|\bfollow us (?:on|at|here)\b|^\s*check out\b|^\s*(?:you can\s+)?(?:download|get|find|read|watch|listen to|see|learn|join|register)\b.{0,60}\bhere[.!]?$|\bhier anmelden\b|\bjetzt anmelden\b|"
        + @"\b(?:photo|photos|image|picture)(?: source| credit)?s?\s*:\s*(?-i:\p{Lu})|\bgetty images\b|\bpic\.twitter\.com/|"
        + @"\(@\w+\)\s+(?:\p{L}+\s+\d{1,2},\s+\d{4}|\d{1,2}\s+\p{L}+)|^by\s+(?-i:\p{Lu}\p{L}+(?:\s+\p{Lu}\.?)?\s+\p{Lu}\p{L}+)\s*$|"
        + @"\bposted (?:on|at)\s+\d|^(?:updated|published)\s*:?\s+\d",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Furniture();

    /// <summary>Markup a feed escaped twice survives HTML-to-text as text: "&lt;div class=…&gt;", "&amp;amp;".</summary>
    [GeneratedRegex(@"</?(?:div|p|span|a|img|picture|source|br|em|strong|h[1-6]|ul|li)\b[^<>]*>|&(?:amp|quot|lt|gt|nbsp);", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Markup();

    [GeneratedRegex(@"^\s*(?:But|And|Yet|Or|So|Still|However|Also|Meanwhile|Nevertheless|Instead|Otherwise)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Connective();
}
