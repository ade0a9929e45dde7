using System.ComponentModel.DataAnnotations;

namespace Digest.Storage;

/// <summary>The <c>Storage</c> section: which database, where.</summary>
internal sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    /// <summary><c>sqlite</c> (the default, nothing to install) or <c>postgres</c>.</summary>
    [Required]
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "must be 'sqlite' or 'postgres'")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>Empty for SQLite means a file in the per-user data directory; PostgreSQL needs one (<c>Host=…;Database=…;Username=…</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// SQLite: how often the running bot checks that its database file is still the one it opened (not deleted, not
    /// replaced); when it is not, the worker stops with exit code 4.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(15);

    public bool IsPostgres => Provider == "postgres";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("required when Storage:Provider is 'postgres'", [nameof(ConnectionString)]);
        }
        else if (!string.IsNullOrWhiteSpace(ConnectionString) && StorageFaults.CheckSyntax(Provider, ConnectionString) is { } malformed)
        {
            yield return new ValidationResult(malformed, [nameof(ConnectionString)]);
        }
    }

    public static string DefaultSqlitePath() => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create) is { Length: > 0 } data
            ? data
            : Path.Combine(Path.GetTempPath(), "digest-data"),
        "digest",
        "digest.db");
}
