using Digest.Worker.Cli;

namespace Digest.Worker.Tests.TestSupport;

/// <summary>Runs the real <c>digest</c> command line in-process against a throwaway database.</summary>
public sealed class Cli : IDisposable
{
    private readonly string directory = System.IO.Directory.CreateTempSubdirectory("digest-test-").FullName;

    public string Directory => directory;

    public string Database => Path.Combine(directory, "digest.db");

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Digest.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Digest.sln not found");
    }

    public static string Sample(string name) => Path.Combine(RepositoryRoot(), "config", "samples", name);

    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var all = args.Concat([$"--Storage:ConnectionString=Data Source={Database}", "--Feeds:AllowPrivateAddresses=true"]).ToList();
        var exit = await DigestCli.RunAsync(all, stdout, stderr, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
