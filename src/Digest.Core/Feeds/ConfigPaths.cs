namespace Digest.Core.Feeds;

/// <summary>Where the config folder is; relative paths in configuration resolve against it.</summary>
internal sealed class ConfigPaths(string configDirectory)
{
    public string ConfigDirectory { get; } = Path.GetFullPath(configDirectory);

    /// <summary>The full path for a relative or absolute path, or null when it names no existing file.</summary>
    public string? Resolve(string path)
    {
        if (path.Length == 0 || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            return null;
        }

        var full = Path.IsPathRooted(path) ? path : Path.Combine(ConfigDirectory, path);
        if (File.Exists(full))
        {
            return full;
        }

        // Also accept paths given relative to the working directory (a user's own --feeds).
        return !Path.IsPathRooted(path) && File.Exists(path) ? Path.GetFullPath(path) : null;
    }
}
