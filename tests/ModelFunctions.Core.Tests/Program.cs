using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Storage;
using ModelFunctions.Core.Tests.Storage;

namespace ModelFunctions.Core.Tests;

/// <summary>
/// Entry point used only when a test starts this assembly as a separate process:
/// <c>increment &lt;root&gt; &lt;container&gt; &lt;blob&gt; &lt;count&gt;</c> runs conditional read-modify-write
/// increments on a folder store, so tests can check the store's locking across processes.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 5 || args[0] != "increment")
        {
            await Console.Error.WriteLineAsync("usage: increment <root> <container> <blob> <count>");
            return 2;
        }

        var store = new FileSystemBlobStore(args[1], NullLogger<FileSystemBlobStore>.Instance);
        var count = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
        var conflicts = await Counter.IncrementAsync(store, args[2], args[3], count, CancellationToken.None);
        Console.WriteLine(conflicts);
        return 0;
    }
}
