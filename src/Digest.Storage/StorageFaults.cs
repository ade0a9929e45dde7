using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Digest.Storage;

/// <summary>
/// A fault of the configured database that an operator fixes (a read-only or corrupt file, a folder that cannot be
/// created, a malformed connection string, a server that cannot be reached or refuses the login), said in one line
/// that names the database and the setting. The CLI prints it and exits with 3.
/// </summary>
internal sealed class StorageException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>Turns what SQLite and Npgsql throw into the one line an operator can act on.</summary>
internal static class StorageFaults
{
    public const string Setting = "Storage:ConnectionString";

    /// <summary>A connection string the provider cannot read: its own message, first sentence, naming the key.</summary>
    public static StorageException Malformed(string provider, Exception e) => new($"{Setting}: {MalformedReason(provider, e)}", e);

    /// <summary>Why <paramref name="connectionString"/> is not one that <paramref name="provider"/> (sqlite, postgres) reads; null when it is.</summary>
    public static string? CheckSyntax(string provider, string connectionString)
    {
        try
        {
            _ = provider == "postgres" ? (DbConnectionStringBuilder)new NpgsqlConnectionStringBuilder(connectionString) : new SqliteConnectionStringBuilder(connectionString);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            return MalformedReason(provider == "postgres" ? "PostgreSQL" : "SQLite", e);
        }
    }

    private static string MalformedReason(string provider, Exception e)
    {
        var reason = e is ArgumentException { InnerException: KeyNotFoundException, ParamName: { } key }
            ? $"unknown keyword '{key}'"
            : e is ArgumentException { InnerException: { } inner, ParamName: { } name }
                ? $"bad value for '{name}': {FirstSentence(inner.Message)}"
                : FirstSentence(e.Message);
        return $"not a valid {provider} connection string: {reason}";
    }

    /// <summary>The folder of the database file does not exist and cannot be created.</summary>
    public static StorageException FolderNotCreated(string path, Exception e) =>
        new($"{Setting}: the folder {Path.GetDirectoryName(path)} for the database {path} does not exist and cannot be created ({FirstSentence(e.Message)})", e);

    /// <summary>The database's path names a folder (SQLite would say only "unable to open database file").</summary>
    public static StorageException FolderNotFile(string path) =>
        new($"{Setting}: {path} is a folder, not a database file; name a file in it (Data Source={Path.Combine(path, "digest.db")})");

    /// <summary>What a SQLite fault means for the file at <paramref name="path"/>; null when it is not a fault of the file.</summary>
    public static string? DescribeSqlite(Exception e, string path)
    {
        if (Find<SqliteException>(e) is not { } sqlite)
        {
            return e is UnauthorizedAccessException or IOException ? $"{Setting}: cannot use the database {path}: {FirstSentence(e.Message)}" : null;
        }

        var folder = Path.GetDirectoryName(path);
        return sqlite.SqliteErrorCode switch
        {
            // SQLITE_NOTADB, SQLITE_CORRUPT
            26 or 11 => $"{Setting}: {path} is not a SQLite database, or it is corrupt (SQLite: {SqliteMessage(sqlite)}); restore it from a backup or point {Setting} at another file",

            // SQLITE_READONLY: the file, or the folder where SQLite keeps its journal (-wal, -shm) beside it.
            8 => $"{Setting}: the database {path} is read-only (SQLite: {SqliteMessage(sqlite)}); the bot writes to the file and to its folder {folder}",

            // SQLITE_CANTOPEN
            14 when !File.Exists(path) => $"{Setting}: cannot create the database {path}: the folder {folder} is not writable or does not exist (SQLite: {SqliteMessage(sqlite)})",
            14 => $"{Setting}: cannot open the database {path}: the file or its folder {folder} is not readable and writable (SQLite: {SqliteMessage(sqlite)})",

            // SQLITE_PERM, SQLITE_AUTH, SQLITE_IOERR, SQLITE_FULL
            3 or 23 or 10 or 13 => $"{Setting}: cannot use the database {path} (SQLite: {SqliteMessage(sqlite)})",
            _ => null,
        };
    }

    /// <summary>
    /// What a PostgreSQL fault means for the server named by the connection string; null when it is not one.
    /// <paramref name="connected"/>: the fault came after a connection was open, so a timeout or a lost socket is a
    /// server that stopped answering (a long lock, a busy server), not one that cannot be reached.
    /// </summary>
    public static string? DescribePostgres(Exception e, NpgsqlConnectionStringBuilder target, bool connected = false)
    {
        var server = $"PostgreSQL at {target.Host}:{target.Port}";
        if (Find<PostgresException>(e) is { } postgres)
        {
            return postgres.SqlState switch
            {
                PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification =>
                    $"{Setting}: {server} refused user '{target.Username}' ({postgres.MessageText}); check its Username and Password",
                PostgresErrorCodes.InvalidCatalogName => $"{Setting}: {server} has no database '{target.Database}' ({postgres.MessageText})",
                PostgresErrorCodes.InsufficientPrivilege => $"{Setting}: user '{target.Username}' may not use the database '{target.Database}' on {server} ({postgres.MessageText})",
                PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown =>
                    $"{Setting}: {server} is not accepting connections ({postgres.MessageText})",
                _ => null,
            };
        }

        if (Find<NpgsqlException>(e) is { } npgsql && (Find<SocketException>(e) is not null || Find<TimeoutException>(e) is not null || npgsql.InnerException is IOException))
        {
            var reason = FirstSentence(Find<SocketException>(e)?.Message ?? Find<TimeoutException>(e)?.Message ?? npgsql.InnerException?.Message ?? npgsql.Message);
            return connected
                ? $"{Setting}: {server} stopped answering while the bot checked its schema ({reason}); check the server's load and locks held by other sessions, or raise the connection string's Command Timeout"
                : $"{Setting}: cannot reach {server} ({reason}); check that it is running and the Host and Port";
        }

        return null;
    }

    /// <summary>Any database fault, without knowing which database: for faults after startup.</summary>
    public static string? Describe(Exception e) =>
        Find<SqliteException>(e) is { } sqlite ? $"SQLite: {SqliteMessage(sqlite)} (the database named by {Setting})"
        : Find<DbException>(e) is { } db ? $"{FirstSentence(db.Message)} (the database named by {Setting})"
        : null;

    private static string SqliteMessage(SqliteException e)
    {
        // "SQLite Error 26: 'file is not a database'." → "file is not a database"
        var text = e.Message;
        var open = text.IndexOf('\'', StringComparison.Ordinal);
        var close = text.LastIndexOf('\'');
        return open >= 0 && close > open ? text[(open + 1)..close] : FirstSentence(text);
    }

    private static string FirstSentence(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        var end = line.IndexOf(". ", StringComparison.Ordinal);
        return (end > 0 ? line[..end] : line).TrimEnd('.');
    }

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }

            if (e is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                return Find<T>(aggregate.InnerExceptions[0]);
            }
        }

        return null;
    }
}
