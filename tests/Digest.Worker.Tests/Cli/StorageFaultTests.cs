using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Digest.Tests.Shared;
using Digest.Worker.Cli;
using Digest.Worker.Tests.ScaleOut;

namespace Digest.Worker.Tests.Cli;

/// <summary>
/// A database the bot cannot use stops every verb that opens it with one line on standard error that names the fault,
/// the database and the setting (<c>Storage:ConnectionString</c>), and exit code 3 — never a stack trace.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class StorageFaultTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("digest-faults-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Verbs => ["once", "status", "run", "train"];

    /// <summary>The verb's words: <c>train</c> is given a labels file, so what it meets next is the store (its feedback).</summary>
    private string[] Words(string verb)
    {
        if (verb != "train")
        {
            return [verb];
        }

        var labels = Path.Combine(directory, "labels.tsv");
        File.WriteAllLines(labels, ["Envoys meet in Geneva to discuss the peace plan\tgood", "Snow closes Alpine passes\tbad"]);
        return ["train", "--labels", labels];
    }

    private async Task<(int Exit, string Errors)> RunAsync(string verb, string provider, string connectionString)
    {
        var stderr = new StringWriter();
        var exit = await DigestCli.RunAsync([.. Words(verb), $"--Storage:Provider={provider}", $"--Storage:ConnectionString={connectionString}"], TextWriter.Null, stderr, Ct);
        return (exit, stderr.ToString());
    }

    private static void ShouldBeOneLine(string errors, params string[] parts)
    {
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, errors);
        foreach (var part in parts.Append("Storage:ConnectionString"))
        {
            lines[0].ShouldContain(part, Case.Sensitive, errors);
        }

        errors.ShouldNotContain("   at ");
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Verb_CorruptDatabaseFile_OneLineNamingTheFileAndExit3(string verb)
    {
        var file = Path.Combine(directory, "digest.db");
        await File.WriteAllTextAsync(file, string.Concat(Enumerable.Repeat("these are not the pages of a database ", 200)), Ct);

        var (exit, errors) = await RunAsync(verb, "sqlite", $"Data Source={file}");

        exit.ShouldBe(3, errors);
        ShouldBeOneLine(errors, file, "not a SQLite database");
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Verb_MalformedSqliteConnectionString_OneLineNamingTheKeywordAndExit3(string verb)
    {
        var (exit, errors) = await RunAsync(verb, "sqlite", $"Data Sorce={directory}/digest.db");

        exit.ShouldBe(3, errors);
        ShouldBeOneLine(errors, "not a valid SQLite connection string", "'data sorce'");
    }

    [Theory]
    [InlineData("Hots=db.internal;Database=digest", "unknown keyword 'hots'")]
    [InlineData("Host=db.internal;Port=five;Database=digest", "bad value for 'port'")]
    public async Task Status_MalformedPostgresConnectionString_OneLineAndExit3(string connectionString, string reason)
    {
        var (exit, errors) = await RunAsync("status", "postgres", connectionString);

        exit.ShouldBe(3, errors);
        ShouldBeOneLine(errors, "not a valid PostgreSQL connection string", reason);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Verb_FolderThatCannotBeCreated_OneLineNamingTheFolderAndExit3(string verb)
    {
        // A folder below a plain file cannot be created, whoever runs the bot (root included).
        var file = Path.Combine(directory, "a-file");
        await File.WriteAllTextAsync(file, "", Ct);
        var database = Path.Combine(file, "data", "digest.db");

        var (exit, errors) = await RunAsync(verb, "sqlite", $"Data Source={database}");

        exit.ShouldBe(3, errors);
        ShouldBeOneLine(errors, Path.Combine(file, "data"), "cannot be created");
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Verb_DataSourceIsAFolder_OneLineSayingSoAndExit3(string verb)
    {
        var (exit, errors) = await RunAsync(verb, "sqlite", $"Data Source={directory}");

        exit.ShouldBe(3, errors);
        ShouldBeOneLine(errors, $"{directory} is a folder, not a database file");
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task Verb_PostgresNotListening_OneLineNamingTheServerAndExit3(string verb)
    {
        var port = ClosedPort();

        var (exit, errors) = await RunAsync(verb, "postgres", $"Host=127.0.0.1;Port={port};Database=digest;Username=digest;Timeout=5");

        exit.ShouldBe(3, errors);
        ShouldBeOneLine(errors, $"cannot reach PostgreSQL at 127.0.0.1:{port}");
    }

    [Fact]
    public async Task Status_ReadOnlyDatabaseFile_OneLineSayingReadOnlyAndExit3()
    {
        var (exit, errors) = await RunReadOnlyAsync(readOnlyFolder: false);

        exit.ShouldBe(3, errors);
        ShouldBeOneLine(errors, "read-only");
    }

    [Fact]
    public async Task Once_NewDatabaseInAReadOnlyFolder_OneLineNamingTheFolderAndExit3()
    {
        // `status` creates no database, so it is `once` that meets the folder.
        var (exit, errors) = await RunReadOnlyAsync(readOnlyFolder: true, "once");

        exit.ShouldBe(3, errors);
        ShouldBeOneLine(errors, "is not writable");
    }

    /// <summary>
    /// <c>digest status</c> (or another verb) by a user who may read but not write: a database file made by someone else, or a new one in a
    /// folder that is not theirs. As root (who may write anything) the process runs as <c>nobody</c>.
    /// </summary>
    private async Task<(int Exit, string Errors)> RunReadOnlyAsync(bool readOnlyFolder, string verb = "status")
    {
        var folder = Path.Combine(directory, "data");
        Directory.CreateDirectory(folder);
        var database = Path.Combine(folder, readOnlyFolder ? "new.db" : "digest.db");
        if (!readOnlyFolder)
        {
            await new Digest.Storage.Sqlite.SqliteStore($"Data Source={database}").MigrateAsync(Ct);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        if (!IsRoot())
        {
            File.SetUnixFileMode(readOnlyFolder ? folder : database, readOnlyFolder ? UnixFileMode.UserRead | UnixFileMode.UserExecute : UnixFileMode.UserRead);
            try
            {
                return await RunAsync(verb, "sqlite", $"Data Source={database}");
            }
            finally
            {
                File.SetUnixFileMode(readOnlyFolder ? folder : database, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        // nobody may enter the folders but write nothing in them: the file stays root's, the folder too.
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        if (!readOnlyFolder)
        {
            // The folder writable (SQLite's journal files may be made), the file not.
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        }

        using var process = WorkerProcess.Start([$"--Storage:ConnectionString=Data Source={database}"], verb, asUser: "nobody");
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, string.Join('\n', process.Errors));
    }

    private static bool IsRoot() =>
        File.Exists("/proc/self/status") && File.ReadLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1] == "0");

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A PostgreSQL server that answers but refuses the login or has no such database: one line and exit 3.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLoginFaultTests(PostgresCluster cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Username=nobody_here;Database=postgres", "refused user 'nobody_here'")]
    [InlineData("Username=postgres;Database=no_such_db", "has no database 'no_such_db'")]
    public async Task Status_LoginRefusedOrDatabaseMissing_OneLineAndExit3(string login, string fault)
    {
        if (cluster.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var stderr = new StringWriter();
        var exit = await DigestCli.RunAsync(["status", "--Storage:Provider=postgres", $"--Storage:ConnectionString=Host=127.0.0.1;Port={cluster.Port};{login}"], TextWriter.Null, stderr, Ct);

        exit.ShouldBe(3, stderr.ToString());
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldHaveSingleItem().ShouldContain(fault);
        lines[0].ShouldContain($"PostgreSQL at 127.0.0.1:{cluster.Port}");
        lines[0].ShouldContain("Storage:ConnectionString");
    }
}
