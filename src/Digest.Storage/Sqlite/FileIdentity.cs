using System.Runtime.InteropServices;

namespace Digest.Storage.Sqlite;

/// <summary>
/// Which file a path names: device and inode where the system says (Linux, through <c>statx</c>), else only whether it
/// exists. Null when nothing is at the path.
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, bool Known)
{
    public bool SameFileAs(FileIdentity other) => !Known || !other.Known || (Device == other.Device && Inode == other.Inode);

    public static FileIdentity? Of(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return OperatingSystem.IsLinux() && Native.Statx(path) is { } known ? known : new FileIdentity(0, 0, Known: false);
    }

    private static class Native
    {
        private const int AtFdcwd = -100;
        private const uint StatxIno = 0x100;

        /// <summary><c>struct statx</c> has one layout on every Linux architecture: 256 bytes, stx_ino at 32, stx_dev_major/minor at 136/140.</summary>
        public static FileIdentity? Statx(string path)
        {
            var buffer = new byte[256];
            try
            {
                if (statx(AtFdcwd, path, 0, StatxIno, buffer) != 0)
                {
                    return null;
                }
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                return null;
            }

            var inode = BitConverter.ToUInt64(buffer, 32);
            var device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
            return new FileIdentity(device, inode, Known: true);
        }

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int statx(int dirfd, string pathname, int flags, uint mask, byte[] statxbuf);
    }
}
