using System.Text;

namespace Digest.Worker.Tests.TestSupport;

/// <summary>Standard output for an in-process host: collects what is written and lets a test await a condition on it.</summary>
public sealed class WatchedWriter : TextWriter
{
    private readonly StringBuilder text = new();
    private readonly List<(Func<string, bool> Condition, TaskCompletionSource Done)> waiters = [];
    private readonly Lock gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        lock (gate)
        {
            text.Append(value);
            var current = text.ToString();
            foreach (var waiter in waiters.Where(w => w.Condition(current)).ToList())
            {
                waiter.Done.TrySetResult();
                waiters.Remove(waiter);
            }
        }
    }

    public override string ToString()
    {
        lock (gate)
        {
            return text.ToString();
        }
    }

    /// <summary>Completes when the output satisfies <paramref name="condition"/>; fails after a generous timeout.</summary>
    public async Task WaitForAsync(Func<string, bool> condition, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (condition(text.ToString()))
            {
                return;
            }

            waiters.Add((condition, done));
        }

        await done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }
}
