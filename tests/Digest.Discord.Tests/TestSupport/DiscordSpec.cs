using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Digest.Discord.Tests.TestSupport;

/// <summary>
/// The request-body schemas of Discord's OpenAPI v10 description (read in place from shared/specs), one per path and
/// method, with their $refs resolved. Where the spec and the docs disagree the docs win: permissions are strings.
/// </summary>
internal sealed class DiscordSpec
{
    private static readonly Lazy<DiscordSpec> Loaded = new(() => new DiscordSpec(SharedData.PathOf("specs/discord-openapi-v10.json")));

    private readonly List<(Regex Path, string Method, string Template, JsonSchema? Body)> operations = [];

    private DiscordSpec(string file)
    {
        var text = File.ReadAllText(file).Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var spec = JsonNode.Parse(text)!.AsObject();
        var defs = spec["components"]!["schemas"]!.DeepClone().AsObject();
        foreach (var (_, schema) in defs)
        {
            // The docs: "default_member_permissions ... Set of permissions represented as a bit set" — serialized as a string.
            if (schema?["properties"]?["default_member_permissions"] is JsonObject permissions)
            {
                permissions["type"] = new JsonArray("string", "integer", "null");
                permissions.Remove("maximum");
                permissions.Remove("minimum");
            }
        }

        var pending = new List<(Regex, string, string, string?)>();
        foreach (var (template, item) in spec["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation is not JsonObject op || method == "parameters")
                {
                    continue;
                }

                string? defName = null;
                if (op["requestBody"]?["content"]?["application/json"]?["schema"] is { } body)
                {
                    defName = "op_" + pending.Count;
                    defs[defName] = body.DeepClone();
                }

                var pattern = "^" + Regex.Replace(Regex.Escape(template), @"\\\{[a-z_]+}", "[^/]+") + "$";
                pending.Add((new Regex(pattern), method.ToUpperInvariant(), template, defName));
            }
        }

        var id = new Uri("https://fake.discord.test/spec-" + Guid.NewGuid().ToString("N"));
        var root = new JsonObject { ["$schema"] = "https://json-schema.org/draft/2020-12/schema", ["$id"] = id.ToString(), ["$defs"] = defs };
        var build = new BuildOptions();
        JsonSchema.FromText(root.ToJsonString(), build);

        // Literal segments win over parameters (/messages/@original before /messages/{message_id}).
        foreach (var (regex, method, template, defName) in pending.OrderBy(p => p.Item3.Count(c => c == '{')))
        {
            var schema = defName is null ? null : JsonSchema.FromText($$"""{"$ref":"{{id}}#/$defs/{{defName}}"}""", build);
            operations.Add((regex, method, template, schema));
        }
    }

    public static DiscordSpec Instance => Loaded.Value;

    /// <summary>The operation's path template, or null when the spec has no such path and method.</summary>
    public string? Template(string method, string path) => Find(method, path)?.Template;

    /// <summary>The schema violations of a request body; empty when it is valid (or the operation takes no JSON body).</summary>
    public IReadOnlyList<string> Validate(string method, string path, JsonElement body)
    {
        if (Find(method, path) is not { Body: { } schema })
        {
            return [];
        }

        var result = schema.Evaluate(body, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Distinct().Take(20)];
    }

    private (Regex Path, string Method, string Template, JsonSchema? Body)? Find(string method, string path)
    {
        foreach (var operation in operations)
        {
            if (operation.Method == method && operation.Path.IsMatch(path))
            {
                return operation;
            }
        }

        return null;
    }
}
