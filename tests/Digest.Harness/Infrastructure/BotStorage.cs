namespace Digest.Harness.Infrastructure;

/// <summary>The database a scenario's digest processes share: SQLite (a file in the workspace) or PostgreSQL.</summary>
internal sealed record BotStorage(string Provider, string ConnectionString, string? SqliteFile)
{
    public static BotStorage Sqlite(string file) => new("sqlite", $"Data Source={file}", file);

    public static BotStorage Postgres(string connectionString) => new("postgres", connectionString, null);

    public bool IsPostgres => Provider == "postgres";

    /// <summary>The configuration overrides that point a digest process at this database.</summary>
    public IEnumerable<string> Arguments => [$"--Storage:Provider={Provider}", $"--Storage:ConnectionString={ConnectionString}"];
}
