using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Storage;
using ModelFunctions.Core.Tests.Storage;

namespace ModelFunctions.Core.Tests;

/// <summary>
/// Entry point used only when a test starts this assembly as a separate process, to act on a folder store from
/// another process:
/// <list type="bullet">
/// <item><c>increment &lt;root&gt; &lt;container&gt; &lt;blob&gt; &lt;count&gt;</c> runs conditional read-modify-write increments
/// (the store's locking across processes);</item>
/// <item><c>write-slowly &lt;root&gt; &lt;container&gt; &lt;blob&gt;</c> writes a blob from a stream that never ends, printing
/// <c>writing</c> once bytes flow, so a test can kill the process mid-write.</item>
/// </list>
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 5 && args[0] == "increment")
        {
            var store = new FileSystemBlobStore(args[1], NullLogger<FileSystemBlobStore>.Instance);
            var count = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture);
            var conflicts = await Counter.IncrementAsync(store, args[2], args[3], count, CancellationToken.None);
            Console.WriteLine(conflicts);
            return 0;
        }

        if (args.Length == 4 && args[0] == "write-slowly")
        {
            var store = new FileSystemBlobStore(args[1], NullLogger<FileSystemBlobStore>.Instance);
            await store.PutAsync(args[2], args[3], new EndlessStream(() => Console.WriteLine("writing")), BlobCondition.None, null, CancellationToken.None);
            return 1;
        }

        await Console.Error.WriteLineAsync("usage: increment <root> <container> <blob> <count> | write-slowly <root> <container> <blob>");
        return 2;
    }
}
