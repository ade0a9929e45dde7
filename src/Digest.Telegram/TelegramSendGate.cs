using Microsoft.Extensions.Options;

namespace Digest.Telegram;

/// <summary>
/// How many sends of this bot may wait for Telegram's answer at once (<see cref="TelegramOptions.SendsInFlight"/>, 1 by
/// default). Telegram takes no idempotency key: a send whose answer never reached us (the bot killed, the connection
/// reset) is sent again, so a crash doubles every send in flight at that moment — with one at a time, at most one message.
/// A send holds its place until Telegram answers and the part it took is recorded (<see cref="TelegramSender"/>), or until
/// <see cref="TelegramOptions.SendSlotHold"/> (by default the request timeout) has passed, whichever comes first; a slow answer then goes on outside the gate, so one chat's slow reply delays another chat by at most that
/// hold. Waiting out a 429's retry_after or a backoff happens before (in <see cref="TelegramRateLimiter"/> and the outbox),
/// never inside the gate.
/// </summary>
internal sealed class TelegramSendGate(IOptions<TelegramOptions> options, TimeProvider time)
{
    private readonly SemaphoreSlim places = new(options.Value.SendsInFlight, options.Value.SendsInFlight);

    /// <summary>Waits for a place; the returned lease gives it back when disposed (the answer came) or after the hold, whichever is first.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await places.WaitAsync(cancellationToken);
        return new Lease(places, options.Value.SendSlotHold ?? options.Value.RequestTimeout, time);
    }

    private sealed class Lease : IDisposable
    {
        private readonly SemaphoreSlim places;
        private readonly ITimer timer;
        private int released;

        public Lease(SemaphoreSlim places, TimeSpan hold, TimeProvider time)
        {
            this.places = places;
            timer = time.CreateTimer(_ => Release(), null, hold, Timeout.InfiniteTimeSpan);
        }

        public void Dispose()
        {
            timer.Dispose();
            Release();
        }

        private void Release()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                places.Release();
            }
        }
    }
}
