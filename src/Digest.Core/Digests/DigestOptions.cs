using System.ComponentModel.DataAnnotations;

namespace Digest.Core.Digests;

/// <summary>The <c>Digest</c> section: what a digest holds and when the console gets one.</summary>
internal sealed class DigestOptions : IValidatableObject
{
    public const string SectionName = "Digest";

    /// <summary>A Quartz cron expression (seconds first) for the console channel; hourly by default.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConsoleSchedule { get; set; } = "0 0 * * * ?";

    /// <summary>The IANA time zone schedules are read in unless a channel says otherwise.</summary>
    [Required(AllowEmptyStrings = false)]
    public string TimeZone { get; set; } = "UTC";

    [Range(1, 50)]
    public int MaxStories { get; set; } = 10;

    [Range(0, 10)]
    public int KeyLines { get; set; } = 3;

    /// <summary>
    /// Whether stories weigh what headlines mean (sentence embeddings, when the host has the model) besides their words,
    /// names, venues and times. Off saves the model's memory (about 140 MB) and CPU on a small machine.
    /// </summary>
    public bool SentenceEmbeddings { get; set; } = true;

    /// <summary>
    /// The story clusterer's same-event model (relative to the config folder; rebuilt by <c>digest train stories</c>).
    /// Empty: the hand-weighted similarity. A path that names no file stops startup.
    /// </summary>
    public string StoryModel { get; set; } = "models/story-pairs.json";

    /// <summary>How far back a restart looks to load the recent stories' items, which new items are clustered with.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "60.00:00:00")]
    public TimeSpan ClusterWarmup { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How old an item may be (by its publication time) and still make a story new or updated in a channel's digest:
    /// an old article a feed only now carries is searchable, but it is not news.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// The shortest interval between two digests that a schedule set in chat (<c>/schedule</c>) may have. The operator's
    /// own configuration (<see cref="ConsoleSchedule"/>, the adapters' defaults) is not limited.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MinScheduleInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How much a story's rank halves per this much age.</summary>
    [Range(typeof(TimeSpan), "00:10:00", "30.00:00:00")]
    public TimeSpan RecencyHalfLife { get; set; } = TimeSpan.FromHours(24);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (validationContext.Cron().Validate(ConsoleSchedule) is { } error)
        {
            yield return new ValidationResult($"'{ConsoleSchedule}' is not a Quartz cron expression (seconds first, e.g. '0 0 * * * ?'): {error}", [nameof(ConsoleSchedule)]);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"'{TimeZone}' is not a known time zone id (IANA, e.g. 'Europe/Kyiv')", [nameof(TimeZone)]);
        }
    }
}
