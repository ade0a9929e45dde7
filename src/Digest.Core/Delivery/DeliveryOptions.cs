using System.ComponentModel.DataAnnotations;

namespace Digest.Core.Delivery;

/// <summary>
/// The <c>Delivery</c> section: how the outbox retries a message that failed, when it gives up on one, how many channels
/// send at once, and how often every worker sweeps for due messages (a stop's grace is <see cref="Digest.Core.ShutdownGrace"/>'s).
/// </summary>
internal sealed class DeliveryOptions : IValidatableObject
{
    public const string SectionName = "Delivery";

    /// <summary>Failed attempts after which a message is set aside (shown in /status and <c>digest status</c>) and its channel goes on.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>The wait after a first failure when the platform gives no retry_after; it doubles with each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between two attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How many channels send at the same time on one worker; the others wait their turn, one message each.</summary>
    [Range(1, 1024)]
    public int Concurrency { get; set; } = 32;

    /// <summary>How often a worker looks for due messages it was not told about: retries, other workers' messages, claims left by a worker that died.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The wait before attempt <paramref name="failures"/> + 1: <see cref="RetryBase"/> doubled per earlier failure, at most <see cref="RetryMax"/>.</summary>
    public TimeSpan Backoff(int failures) => Core.Backoff.Exponential(RetryBase, failures, RetryMax);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryBase > RetryMax)
        {
            yield return new ValidationResult($"must not be longer than Delivery:RetryMax ({RetryMax})", [nameof(RetryBase)]);
        }
    }
}
