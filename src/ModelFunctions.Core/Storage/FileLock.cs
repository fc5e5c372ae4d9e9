using System.Diagnostics;

namespace ModelFunctions.Core.Storage;

/// <summary>
/// An exclusive OS lock on a file (FileShare.None: flock on Unix, a share mode on Windows), so writers in this
/// process and in other processes take turns. Waits with jittered backoff until the timeout.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Takes the lock on <paramref name="path"/>, creating the file when needed.</summary>
    /// <exception cref="BlobStoreException">The lock was not obtained within <paramref name="timeout"/>.</exception>
    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var delayMs = 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // The lock file is never deleted: deleting it would let two holders lock different inodes.
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1));
            }
            catch (IOException ex) when (ex is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException))
            {
                if (Stopwatch.GetElapsedTime(started) > timeout)
                {
                    throw new BlobStoreException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for the lock '{path}'.", null, ex);
                }
            }

            await Task.Delay(delayMs + Random.Shared.Next(delayMs + 1), cancellationToken).ConfigureAwait(false);
            delayMs = Math.Min(delayMs * 2, 25);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
