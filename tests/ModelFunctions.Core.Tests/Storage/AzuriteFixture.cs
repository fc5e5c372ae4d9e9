using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Storage;

/// <summary>
/// Runs the real Azure Storage emulator (Azurite's blob service, installed from npm by this project's build) on a free
/// loopback port for the lifetime of a test class or collection, in memory, and kills it on dispose.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>The blob service port.</summary>
    public int Port { get; private set; }

    /// <summary>The development account's blob endpoint on that port.</summary>
    public Uri BlobEndpoint => new($"http://127.0.0.1:{Port}/{StorageConnectionString.DevelopmentAccountName}");

    /// <summary>A shared-key connection string for the emulator.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={StorageConnectionString.DevelopmentAccountName};" +
        $"AccountKey={StorageConnectionString.DevelopmentAccountKey};BlobEndpoint={BlobEndpoint};";

    /// <summary>A store on the emulator with the development account's shared key.</summary>
    internal AzureBlobStore CreateStore(AzureBlobStoreOptions? options = null, byte[]? accountKey = null) =>
        new(
            new AzureBlobEndpoint(
                BlobEndpoint,
                StorageConnectionString.DevelopmentAccountName,
                accountKey ?? Convert.FromBase64String(StorageConnectionString.DevelopmentAccountKey),
                null,
                null),
            options ?? new AzureBlobStoreOptions { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(50) },
            NullLogger<AzureBlobStore>.Instance);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "tools", "azurite", "node_modules", "azurite", "dist", "src", "blob", "main.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed at {script}: build the Core test project (it runs npm ci in tests/tools/azurite).");
        }

        Port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in new[]
        {
            script, "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose", "--silent",
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync();
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < StartTimeout)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before answering: {Output()}");
            }

            try
            {
                // Any HTTP answer (it will be 403 without a signature) means the service is up.
                using var response = await http.GetAsync(new Uri(BlobEndpoint, "?comp=list"));
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
            catch (TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"Azurite did not answer on port {Port} within {StartTimeout.TotalSeconds} s: {Output()}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ModelFunctions.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ModelFunctions.sln above {AppContext.BaseDirectory}.");
    }
}
