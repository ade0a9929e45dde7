using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Digest.Telegram.Tests.TestSupport;

/// <summary>
/// Checks Bot API calls against the machine-readable spec (shared/specs/telegram-bot-api.json): the method exists, required
/// parameters are present, no unknown ones, types match (objects checked field by field, recursively), and the limits
/// Telegram enforces that the bot could break: message text 1–4096 characters after HTML parsing, well-formed HTML with
/// only Telegram's tags and entities, callback data 1–64 bytes, command names and descriptions.
/// </summary>
internal sealed partial class TelegramSpec
{
    private static readonly HashSet<string> HtmlTags = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji", "code", "pre", "blockquote", "tg-time"];
    private readonly Dictionary<string, JsonElement> methods;
    private readonly Dictionary<string, JsonElement> types;

    private TelegramSpec(JsonDocument document)
    {
        methods = document.RootElement.GetProperty("methods").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        types = document.RootElement.GetProperty("types").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
    }

    public static TelegramSpec Load() => new(JsonDocument.Parse(File.ReadAllText(SharedData.PathOf("specs/telegram-bot-api.json"))));

    /// <summary>Every way the call breaks the spec; empty when it is valid. Multipart values arrive as strings (objects JSON-encoded).</summary>
    public IReadOnlyList<string> Check(string method, IReadOnlyDictionary<string, JsonElement> parameters, IReadOnlySet<string> files)
    {
        var problems = new List<string>();
        if (!methods.TryGetValue(method, out var spec))
        {
            return [$"method not found: {method}"];
        }

        var fields = Fields(spec);
        foreach (var (name, field) in fields)
        {
            if (field.GetProperty("required").GetBoolean() && !parameters.ContainsKey(name) && !files.Contains(name))
            {
                problems.Add($"{method}: required parameter '{name}' is missing");
            }
        }

        foreach (var (name, value) in parameters)
        {
            if (!fields.TryGetValue(name, out var field))
            {
                problems.Add($"{method}: unknown parameter '{name}'");
                continue;
            }

            var allowed = field.GetProperty("types").EnumerateArray().Select(t => t.GetString()!).ToList();
            if (!allowed.Any(t => Matches(t, value, $"{method}.{name}", [])))
            {
                var detail = new List<string>();
                foreach (var t in allowed)
                {
                    Matches(t, value, $"{method}.{name}", detail);
                }

                problems.Add($"{method}: parameter '{name}' is not {string.Join(" or ", allowed)}: {string.Join("; ", detail)}");
            }
        }

        problems.AddRange(Limits(method, parameters));
        return problems;
    }

    private static Dictionary<string, JsonElement> Fields(JsonElement spec) =>
        spec.TryGetProperty("fields", out var fields) ? fields.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!) : [];

    private bool Matches(string type, JsonElement value, string path, List<string> problems)
    {
        // Multipart form values are strings; numbers, booleans and JSON objects arrive encoded in them.
        if (value.ValueKind == JsonValueKind.String && type is not ("String" or "InputFile"))
        {
            var text = value.GetString()!;
            if (type is "Integer" or "Float")
            {
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            }

            if (type == "Boolean")
            {
                return text is "true" or "false";
            }

            try
            {
                using var inner = JsonDocument.Parse(text);
                return Matches(type, inner.RootElement.Clone(), path, problems);
            }
            catch (JsonException)
            {
                problems.Add($"{path}: '{text}' is not JSON");
                return false;
            }
        }

        if (type.StartsWith("Array of ", StringComparison.Ordinal))
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{path}: expected an array");
                return false;
            }

            var element = type["Array of ".Length..];
            var i = 0;
            return value.EnumerateArray().All(v => Matches(element, v, $"{path}[{i++}]", problems));
        }

        switch (type)
        {
            case "Integer":
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _) || Fail($"{path}: expected an integer");
            case "Float":
                return value.ValueKind == JsonValueKind.Number || Fail($"{path}: expected a number");
            case "String":
                return value.ValueKind == JsonValueKind.String || Fail($"{path}: expected a string");
            case "Boolean":
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False || Fail($"{path}: expected a boolean");
            case "InputFile":
                return Fail($"{path}: a file must be uploaded as multipart");
        }

        if (!types.TryGetValue(type, out var spec))
        {
            return Fail($"{path}: unknown type {type}");
        }

        if (spec.TryGetProperty("subtypes", out var subtypes))
        {
            return subtypes.EnumerateArray().Any(s => Matches(s.GetString()!, value, path, [])) || Fail($"{path}: matches no subtype of {type}");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return Fail($"{path}: expected a {type} object");
        }

        var fields = Fields(spec);
        var ok = true;
        foreach (var (name, field) in fields)
        {
            if (field.GetProperty("required").GetBoolean() && !value.TryGetProperty(name, out _))
            {
                ok = Fail($"{path}: required field '{name}' of {type} is missing");
            }
        }

        foreach (var property in value.EnumerateObject())
        {
            if (!fields.TryGetValue(property.Name, out var field))
            {
                ok = Fail($"{path}: unknown field '{property.Name}' of {type}");
                continue;
            }

            var allowed = field.GetProperty("types").EnumerateArray().Select(t => t.GetString()!).ToList();
            if (!allowed.Any(t => Matches(t, property.Value, $"{path}.{property.Name}", problems)))
            {
                ok = false;
            }
        }

        if (type == "InlineKeyboardButton" && value.TryGetProperty("callback_data", out var data)
            && data.GetString() is { } callback && Encoding.UTF8.GetByteCount(callback) is < 1 or > 64)
        {
            ok = Fail($"{path}.callback_data: {Encoding.UTF8.GetByteCount(callback)} bytes, the limit is 1-64 (BUTTON_DATA_INVALID)");
        }

        if (type == "BotCommand")
        {
            var command = value.GetProperty("command").GetString() ?? "";
            var description = value.GetProperty("description").GetString() ?? "";
            if (!CommandName().IsMatch(command))
            {
                ok = Fail($"{path}.command: '{command}' must be 1-32 lowercase letters, digits and underscores");
            }

            if (description.Length is < 1 or > 256)
            {
                ok = Fail($"{path}.description: {description.Length} characters, the limit is 1-256");
            }
        }

        return ok;

        bool Fail(string problem)
        {
            problems.Add(problem);
            return false;
        }
    }

    private static IEnumerable<string> Limits(string method, IReadOnlyDictionary<string, JsonElement> parameters)
    {
        if (method is not ("sendMessage" or "editMessageText") || !parameters.TryGetValue("text", out var textValue) || textValue.ValueKind != JsonValueKind.String)
        {
            yield break;
        }

        var text = textValue.GetString()!;
        var html = parameters.TryGetValue("parse_mode", out var mode) && mode.ValueKind == JsonValueKind.String && mode.GetString()!.Equals("HTML", StringComparison.OrdinalIgnoreCase);
        string visible;
        if (html)
        {
            var error = VisibleText(text, out visible);
            if (error is not null)
            {
                yield return $"{method}: can't parse entities: {error}";
                yield break;
            }
        }
        else
        {
            visible = text;
        }

        if (visible.Trim().Length == 0)
        {
            yield return $"{method}: message text is empty";
        }
        else if (visible.Length > 4096)
        {
            yield return $"{method}: message is too long ({visible.Length} characters after parsing, the limit is 4096)";
        }
    }

    /// <summary>The text Telegram shows for HTML: tags removed (only Telegram's, properly nested), entities decoded (only Telegram's).</summary>
    public static string? VisibleText(string html, out string visible)
    {
        var text = new StringBuilder();
        var open = new Stack<string>();
        visible = "";
        for (var i = 0; i < html.Length; i++)
        {
            var c = html[i];
            if (c == '<')
            {
                var end = html.IndexOf('>', i);
                if (end < 0)
                {
                    return $"unclosed start tag at byte offset {i}";
                }

                var tag = html[(i + 1)..end];
                var closing = tag.StartsWith('/');
                var name = (closing ? tag[1..] : tag).Split(' ', 2)[0].ToLowerInvariant();
                if (!HtmlTags.Contains(name))
                {
                    return $"unsupported start tag \"{name}\" at byte offset {i}";
                }

                if (closing)
                {
                    if (open.Count == 0 || open.Pop() != name)
                    {
                        return $"unmatched end tag at byte offset {i}, expected \"</{(open.Count > 0 ? open.Peek() : "")}>\", found \"</{name}>\"";
                    }
                }
                else
                {
                    if (name == "a" && !tag.Contains("href=\"", StringComparison.Ordinal))
                    {
                        return "an <a> tag needs href";
                    }

                    open.Push(name);
                }

                i = end;
                continue;
            }

            if (c == '>')
            {
                return $"unexpected > at byte offset {i}";
            }

            if (c == '&')
            {
                var end = html.IndexOf(';', i);
                var entity = end < 0 ? "" : html[i..(end + 1)];
                var decoded = entity switch
                {
                    "&lt;" or "&gt;" or "&amp;" or "&quot;" => WebUtility.HtmlDecode(entity),
                    _ when NumericEntity().IsMatch(entity) => WebUtility.HtmlDecode(entity),
                    _ => null,
                };
                if (decoded is null)
                {
                    return $"unsupported entity or raw & at byte offset {i}";
                }

                text.Append(decoded);
                i = end;
                continue;
            }

            text.Append(c);
        }

        if (open.Count > 0)
        {
            return $"can't find end tag corresponding to start tag \"{open.Peek()}\"";
        }

        visible = text.ToString();
        return null;
    }

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex CommandName();

    [GeneratedRegex("^&#(\\d+|x[0-9a-fA-F]+);$")]
    private static partial Regex NumericEntity();
}
