using System.Text.Json;

namespace Digest.Discord.Tests.TestSupport;

/// <summary>The message limits the Discord docs state (message.mdx: content 2,000; embeds 10; title 256; description
/// 4,096; fields 25; field name 256, value 1,024; footer 2,048; author 256; 6,000 across a message's embeds).</summary>
internal static class DiscordLimits
{
    public static IReadOnlyList<string> Check(JsonElement body)
    {
        var errors = new List<string>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            return errors;
        }

        // An interaction response carries its message in "data".
        var message = body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? data : body;
        if (Text(message, "content") is { Length: > 2000 } content)
        {
            errors.Add($"content: {content.Length} characters, must be 2000 or fewer");
        }

        if (!message.TryGetProperty("embeds", out var embeds) || embeds.ValueKind != JsonValueKind.Array)
        {
            return errors;
        }

        if (embeds.GetArrayLength() > 10)
        {
            errors.Add($"embeds: {embeds.GetArrayLength()}, must be 10 or fewer");
        }

        var total = 0;
        var index = 0;
        foreach (var embed in embeds.EnumerateArray())
        {
            total += Limit(errors, $"embeds[{index}].title", Text(embed, "title"), 256);
            total += Limit(errors, $"embeds[{index}].description", Text(embed, "description"), 4096);
            if (embed.TryGetProperty("footer", out var footer) && footer.ValueKind == JsonValueKind.Object)
            {
                total += Limit(errors, $"embeds[{index}].footer.text", Text(footer, "text"), 2048);
            }

            if (embed.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object)
            {
                total += Limit(errors, $"embeds[{index}].author.name", Text(author, "name"), 256);
            }

            if (embed.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array)
            {
                if (fields.GetArrayLength() > 25)
                {
                    errors.Add($"embeds[{index}].fields: {fields.GetArrayLength()}, must be 25 or fewer");
                }

                foreach (var field in fields.EnumerateArray())
                {
                    total += Limit(errors, $"embeds[{index}].fields.name", Text(field, "name"), 256);
                    total += Limit(errors, $"embeds[{index}].fields.value", Text(field, "value"), 1024);
                }
            }

            index++;
        }

        if (total > 6000)
        {
            errors.Add($"embeds: {total} characters in all, must be 6000 or fewer");
        }

        return errors;
    }

    private static int Limit(List<string> errors, string name, string? text, int max)
    {
        var length = text?.Trim().Length ?? 0;
        if (length > max)
        {
            errors.Add($"{name}: {length} characters, must be {max} or fewer");
        }

        return length;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
