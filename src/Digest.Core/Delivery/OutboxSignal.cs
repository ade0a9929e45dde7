using System.Threading.Channels;

namespace Digest.Core.Delivery;

/// <summary>
/// Tells this worker's <see cref="DeliveryDispatcher"/> that a channel has a message to send, so it goes out at once
/// rather than at the next sweep. Whoever enqueues calls <see cref="Wake"/> after the message is committed; a wake that
/// is never given (another worker enqueued it) is made up by the sweep.
/// </summary>
internal sealed class OutboxSignal
{
    private readonly Channel<long> woken = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    public void Wake(long channelId) => woken.Writer.TryWrite(channelId);

    internal ChannelReader<long> Woken => woken.Reader;
}
