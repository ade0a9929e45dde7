namespace Digest.Core.Pipeline;

/// <summary>
/// A wake-up between two stages in one process: the stage that committed work sets it, the next stage's loop wakes at
/// once instead of at its next sweep. Only a shortcut: the hand-off itself is in the database, and the sweep finds
/// whatever a wake-up missed (another worker's work, a crash).
/// </summary>
internal sealed class StageSignal
{
    private TaskCompletionSource pending = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Volatile.Read(ref pending).TrySetResult();

    /// <summary>Forgets earlier wake-ups: called before a stage looks for work, so a wake-up during that look is kept.</summary>
    public void Reset()
    {
        if (Volatile.Read(ref pending).Task.IsCompleted)
        {
            Interlocked.Exchange(ref pending, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    /// <summary>Returns true when set, false after <paramref name="sweep"/> (the next sweep is due).</summary>
    public async Task<bool> WaitAsync(TimeSpan sweep, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref pending).Task.WaitAsync(sweep, time, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            // The sweep: look again.
            return false;
        }
    }
}

/// <summary>The in-process wake-ups of the item pipeline: items stored (→ process), stories changed (→ refresh).</summary>
internal sealed class PipelineSignals
{
    public StageSignal ItemsStored { get; } = new();

    public StageSignal StoriesChanged { get; } = new();
}
