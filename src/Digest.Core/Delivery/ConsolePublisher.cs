using Digest.Core.Digests;
using Digest.Core.Storage;

namespace Digest.Core.Delivery;

/// <summary>The console channel: digests written to standard output, in the configured format.</summary>
internal sealed class ConsolePublisher(ConsoleOutput output) : IChannelPublisher
{
    public const string PlatformName = "console";

    public string Platform => PlatformName;

    public async Task<PublishResult> PublishAsync(ChannelRecord channel, OutboundMessage message, CancellationToken cancellationToken)
    {
        var payload = message.Payload;
        var text = payload.Digest is { } digest ? output.Format switch
        {
            "json" => JsonDigestRenderer.Render(digest),
            "markdown" => MarkdownDigestRenderer.Render(digest),
            _ => TextDigestRenderer.Render(digest),
        } : payload.Text ?? "";
        await output.Writer.WriteLineAsync(text.AsMemory(), cancellationToken);
        await output.Writer.FlushAsync(cancellationToken);
        return PublishResult.Ok;
    }
}

/// <summary>Where the console channel writes, and in which format (text, markdown, json).</summary>
internal sealed class ConsoleOutput(TextWriter writer, string format)
{
    public TextWriter Writer { get; } = writer;

    public string Format { get; } = format;
}
