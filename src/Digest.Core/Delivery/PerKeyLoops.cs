using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Digest.Core.Delivery;

/// <summary>
/// Work kept in order per key (a channel's messages, a chat's updates) and independent across keys: at most one turn per
/// key runs at a time, at most <c>concurrency</c> turns in all. <see cref="Wake"/> asks for a turn; a wake while the key's
/// turn runs asks for one more, so nothing woken is missed. A turn does one unit of work (one message, one update) and
/// says whether more is ready; the key then queues again behind the keys waiting for a slot, so a long backlog in one
/// chat never holds the others up.
/// </summary>
internal sealed partial class PerKeyLoops<TKey>(int concurrency, Func<TKey, CancellationToken, Task<bool>> turn, ILogger logger)
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly SemaphoreSlim slots = new(concurrency, concurrency);

    /// <summary>Keys with a loop running, and whether they were woken again meanwhile.</summary>
    private readonly Dictionary<TKey, bool> active = [];
    private readonly HashSet<TKey> wokenBeforeStart = [];
    private readonly ConcurrentDictionary<Task, byte> loops = new();
    private CancellationToken token;
    private bool started;
    private bool stopping;

    /// <summary>Starts taking turns (the keys woken before start included); <paramref name="cancellationToken"/> cancels turns in flight.</summary>
    public void Start(CancellationToken cancellationToken)
    {
        List<TKey> woken;
        lock (gate)
        {
            token = cancellationToken;
            started = true;
            woken = [.. wokenBeforeStart];
            wokenBeforeStart.Clear();
        }

        foreach (var key in woken)
        {
            Wake(key);
        }
    }

    public void Wake(TKey key)
    {
        lock (gate)
        {
            if (stopping)
            {
                return;
            }

            if (!started)
            {
                wokenBeforeStart.Add(key);
                return;
            }

            if (active.ContainsKey(key))
            {
                active[key] = true;
                return;
            }

            active[key] = false;
        }

        // Outside the lock, and never on the waker's thread: the turn may take a while before its first await.
        var loop = Task.Run(() => LoopAsync(key), CancellationToken.None);
        loops[loop] = 0;
        _ = loop.ContinueWith(done => loops.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Returns when every loop has run out of work, or was cancelled by the start token (the caller cancels it after a
    /// grace); from then on wakes are ignored.
    /// </summary>
    public async Task StopAsync()
    {
        while (!loops.IsEmpty)
        {
            await Task.WhenAll(loops.Keys);
        }

        lock (gate)
        {
            stopping = true;
        }
    }

    private async Task LoopAsync(TKey key)
    {
        while (true)
        {
            bool more;
            try
            {
                await slots.WaitAsync(token);
                try
                {
                    more = !stopping && await turn(key, token);
                }
                finally
                {
                    slots.Release();
                }
            }
            catch (Exception e)
            {
                // Cancelled by a stop, or a store blip: this key rests until it is woken again (an enqueue, the next sweep).
                if (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    Log.TurnFailed(logger, e, key.ToString());
                }

                lock (gate)
                {
                    active.Remove(key);
                    return;
                }
            }

            // Decided and forgotten under one lock: a wake that comes after this starts a new loop.
            lock (gate)
            {
                if (stopping || (!more && !active[key]))
                {
                    active.Remove(key);
                    return;
                }

                active[key] = false;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Work for {Key} failed; it is taken up again at the next wake or sweep")]
        public static partial void TurnFailed(ILogger logger, Exception exception, string? key);
    }
}
