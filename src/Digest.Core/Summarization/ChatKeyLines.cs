using System.Text;
using System.Text.Json;
using Digest.Core.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Digest.Core.Summarization;

/// <summary>
/// Key lines written by a chat model (the host supplies the <see cref="IChatClient"/>: an OpenAI-compatible endpoint). The model is asked for JSON lines with their
/// speakers; a line is kept only when it is grounded in the sources (most of its words occur there) and a speaker only
/// when the sources name them. On an error, a timeout or no grounded line, the extractive lines are returned instead.
/// </summary>
internal sealed partial class ChatKeyLines(
    IChatClient chat,
    ExtractiveKeyLines fallback,
    IOptions<SummarizationOptions> options,
    TimeProvider time,
    ILogger<ChatKeyLines> logger) : IKeyLineExtractor
{
    /// <summary>The share of a line's content words that must occur in the sources.</summary>
    internal const double GroundedShare = 0.8;

    private const int MaxPromptChars = 12_000;

    private const string Instructions =
        "You pick the key lines of a news story for a digest. Reply with JSON only, in the form "
        + "{\"lines\":[{\"text\":\"...\",\"speaker\":\"...\"}]}. Give at most {0} lines that carry the news: what was agreed or "
        + "refused, by whom, and the figures. Copy each line from the sources word for word or nearly so; do not add facts. "
        + "\"speaker\" is the full name of the person or body quoted in the line as the sources give it, or null.";

    private readonly LlmOptions settings = options.Value.Llm;

    public async ValueTask<IReadOnlyList<KeyLine>> ExtractAsync(IReadOnlyList<SourceText> sources, int maxLines, CancellationToken cancellationToken)
    {
        if (maxLines <= 0 || sources.All(s => string.IsNullOrWhiteSpace(s.Text) && string.IsNullOrWhiteSpace(s.Title)))
        {
            return [];
        }

        using var timeout = new CancellationTokenSource(settings.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var messages = new List<ChatMessage>
            {
                new(ChatRole.System, Instructions.Replace("{0}", maxLines.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)),
                new(ChatRole.User, Prompt(sources)),
            };
            var response = await chat.GetResponseAsync(messages, new ChatOptions { Temperature = 0, ResponseFormat = ChatResponseFormat.Json }, linked.Token);
            var lines = Grounded(response.Text, sources, maxLines);
            if (lines.Count > 0)
            {
                return lines;
            }

            LogFallback(logger, "no line in the model's answer is grounded in the sources", null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogFallback(logger, $"no answer within {settings.Timeout.TotalSeconds:0} s", null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the backend throws (its SDK's own errors included) costs this story its model lines, nothing more.
            LogFallback(logger, e.Message, e);
        }

        return await fallback.ExtractAsync(sources, maxLines, cancellationToken);
    }

    /// <summary>The model's lines that the sources support, with speakers the sources name.</summary>
    internal static List<KeyLine> Grounded(string answer, IReadOnlyList<SourceText> sources, int maxLines)
    {
        var json = answer.Trim();
        if (json.StartsWith("```", StringComparison.Ordinal))
        {
            json = json.Trim('`').Trim();
            json = json.StartsWith("json", StringComparison.OrdinalIgnoreCase) ? json[4..] : json;
        }

        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("lines", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var sourceText = string.Join('\n', sources.Select(s => s.Title + "\n" + s.Text));
        var known = Words.Tokens(sourceText).ToHashSet(StringComparer.Ordinal);
        var sentences = SentenceSplitter.Split(Dateline.StripAll(sourceText));
        var lines = new List<KeyLine>();
        foreach (var item in items.EnumerateArray())
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()
                : item.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            // A model copies what the sources hold, their furniture and the sentences their feeds cut off included.
            if (string.IsNullOrWhiteSpace(text) || !IsGrounded(text, known) || KeyLineFilter.IsBoilerplate(text) || KeyLineFilter.IsCutOff(text))
            {
                continue;
            }

            var speaker = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("speaker", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (speaker is not null && !sourceText.Contains(speaker, StringComparison.OrdinalIgnoreCase))
            {
                speaker = null; // a name the sources don't give is the model's invention
            }

            speaker ??= Attribution.SpeakerOf(text.Trim(), sentences);
            lines.Add(new KeyLine(text.Trim(), speaker is Attribution.Unnamed ? null : speaker));
            if (lines.Count == maxLines)
            {
                break;
            }
        }

        return lines;
    }

    private static bool IsGrounded(string line, HashSet<string> known)
    {
        var words = Words.ContentTokens(line);
        return words.Count >= 3 && words.Count(known.Contains) >= GroundedShare * words.Count;
    }

    private static string Prompt(IReadOnlyList<SourceText> sources)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < sources.Count && builder.Length < MaxPromptChars; i++)
        {
            var source = sources[i];
            builder.Append("Source ").Append(i + 1);
            if (source.Outlet is { Length: > 0 } outlet)
            {
                builder.Append(" (").Append(outlet).Append(')');
            }

            builder.Append(": ").Append(source.Title).Append('\n').Append(source.Text).Append("\n\n");
        }

        return builder.Length > MaxPromptChars ? builder.ToString(0, MaxPromptChars) : builder.ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat model key lines failed, using extractive lines: {Reason}")]
    private static partial void LogFallback(ILogger logger, string reason, Exception? exception);
}
