using System.Text;

namespace Digest.Core.Items;

/// <summary>
/// Text that was UTF-8 read as windows-1252 before a feed published it ("â€œ" for “, "â€™" for ’, "Ã©" for é): each such
/// run of characters is read back as the one character it was, so that its quotation marks open and close quotations.
/// A closing quote's last byte (0x9D) has no windows-1252 character and is often dropped on the way ("â€" alone): "â€"
/// before anything that cannot continue the sequence is that closing quote. A run is read back only when it decodes to a
/// character such text is made of — a Latin, Greek or Cyrillic letter, punctuation, a currency or letterlike sign, an
/// emoji — so that text that merely looks like a run ("Straße«": ß and « would decode to an N'Ko letter) stays as it is.
/// </summary>
internal static class Mojibake
{
    private static readonly Dictionary<char, byte> Continuations = BuildContinuations();

    public static string Repair(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\u00C2', '\u00F4') < 0)
        {
            return text;
        }

        StringBuilder? builder = null;
        Span<byte> bytes = stackalloc byte[4];
        var copied = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var lead = text[i];
            var length = lead switch
            {
                >= '\u00C2' and <= '\u00DF' => 2,
                >= '\u00E0' and <= '\u00EF' => 3,
                >= '\u00F0' and <= '\u00F4' => 4,
                _ => 0,
            };
            if (length == 0)
            {
                continue;
            }

            bytes[0] = (byte)lead;
            var n = 1;
            while (n < length && i + n < text.Length && Continuations.TryGetValue(text[i + n], out var b))
            {
                bytes[n++] = b;
            }

            string? decoded = null;
            if (n == length)
            {
                decoded = Decode(bytes[..n]);
            }
            else if (n == 2 && lead == 'â' && bytes[1] == 0x80)
            {
                decoded = "\u201D"; // "â€" + the dropped 0x9D
            }

            if (decoded is null)
            {
                continue;
            }

            builder ??= new StringBuilder(text.Length);
            builder.Append(text, copied, i - copied).Append(decoded);
            i += n - 1;
            copied = i + 1;
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    private static string? Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var s = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return s.Length is 1 or 2 && Plausible(char.ConvertToUtf32(s, 0)) ? s : null;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static bool Plausible(int codePoint) => codePoint switch
    {
        >= 0x80 and <= 0x52F => true,     // Latin-1 to Cyrillic
        >= 0x2000 and <= 0x214F => true,  // punctuation, currency and letterlike signs
        >= 0x1F000 and <= 0x1FAFF => true, // emoji
        _ => false,
    };

    /// <summary>
    /// The character windows-1252 shows for each byte 0x80–0xBF (the bytes that continue a UTF-8 sequence), and for
    /// 0x80–0x9F also the C1 control character that Latin-1 reads it as.
    /// </summary>
    private static Dictionary<char, byte> BuildContinuations()
    {
        const string c1 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
        var map = new Dictionary<char, byte>();
        for (var b = 0x80; b <= 0xBF; b++)
        {
            map[b < 0xA0 ? c1[b - 0x80] : (char)b] = (byte)b;
            map[(char)b] = (byte)b;
        }

        return map;
    }
}
