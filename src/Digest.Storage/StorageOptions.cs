using System.ComponentModel.DataAnnotations;

namespace Digest.Storage;

/// <summary>The <c>Storage</c> section: which database, where.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    /// <summary><c>sqlite</c> (the default, nothing to install) or <c>postgres</c>.</summary>
    [Required]
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Storage:Provider must be 'sqlite' or 'postgres'")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>Empty for SQLite means a file in the per-user data directory; PostgreSQL needs one (<c>Host=…;Database=…;Username=…</c>).</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => Provider == "postgres";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("required when Storage:Provider is 'postgres'", [nameof(ConnectionString)]);
        }
    }

    public static string DefaultSqlitePath() => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create) is { Length: > 0 } data
            ? data
            : Path.Combine(Path.GetTempPath(), "digest-data"),
        "digest",
        "digest.db");
}
