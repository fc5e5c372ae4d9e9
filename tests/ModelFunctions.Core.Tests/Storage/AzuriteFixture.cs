using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Storage;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Storage;

/// <summary>
/// Runs the real Azure Storage emulator (Azurite's blob service, installed from npm by this project's build) on a free
/// loopback port for the lifetime of a test class or collection, and kills it on dispose. In memory by default; a
/// persistent fixture keeps its data in a temp folder, so <see cref="StopAsync"/> and <see cref="StartAsync"/> can take
/// the service away and bring it back on the same port with its blobs, as an outage would.
/// </summary>
public class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key (published with the emulator; not a secret).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private readonly string? _location;
    private Process? _process;

    /// <summary>An emulator in memory.</summary>
    public AzuriteFixture()
        : this(persistent: false)
    {
    }

    /// <summary>An emulator in memory, or on disk in a temp folder when <paramref name="persistent"/>.</summary>
    protected AzuriteFixture(bool persistent)
    {
        _location = persistent ? Directory.CreateTempSubdirectory("mf-azurite-").FullName : null;
    }

    /// <summary>The blob service port.</summary>
    public int Port { get; private set; }

    /// <summary>The development account's blob endpoint on that port.</summary>
    public Uri BlobEndpoint => new($"http://127.0.0.1:{Port}/{AccountName}");

    /// <summary>A shared-key connection string for the emulator.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

    /// <summary>A store on the emulator with the development account's shared key, built as the factory builds one.</summary>
    internal AzureBlobStore CreateStore(AzureBlobStoreOptions? options = null, string? accountKey = null)
    {
        options ??= new AzureBlobStoreOptions { MaxRetries = 1, RetryDelay = TimeSpan.FromMilliseconds(50) };
        var client = new BlobServiceClient(BlobEndpoint, new StorageSharedKeyCredential(AccountName, accountKey ?? AccountKey), options.CreateClientOptions());
        return new AzureBlobStore(client, "shared key", options, NullLogger<AzureBlobStore>.Instance);
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Port = FreePort();
        await StartAsync();
    }

    /// <summary>Starts the emulator on <see cref="Port"/> (again, after <see cref="StopAsync"/>).</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("Azurite is already running.");
        }

        var script = Path.Combine(RepositoryRoot(), "tests", "tools", "azurite", "node_modules", "azurite", "dist", "src", "blob", "main.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed at {script}: build the Core test project (it runs npm ci in tests/tools/azurite).");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        string[] storage = _location is null ? ["--inMemoryPersistence"] : ["--location", _location];
        foreach (var arg in new[] { script, "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(CultureInfo.InvariantCulture) }
            .Concat(storage)
            .Concat(["--skipApiVersionCheck", "--disableTelemetry", "--loose", "--silent"]))
        {
            start.ArgumentList.Add(arg);
        }

        _process?.Dispose();
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync();
    }

    /// <summary>
    /// Takes the emulator away, as an outage would: it stops answering and its port is closed until
    /// <see cref="StartAsync"/>. A persistent emulator is stopped with SIGTERM, so it saves its blob index first
    /// (Azurite writes it to disk only every few seconds; a SIGKILL loses what came since); an in-memory one is killed.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        if (_location is not null && !OperatingSystem.IsWindows())
        {
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(patience.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: killed below.
            }
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        if (_location is not null)
        {
            try
            {
                Directory.Delete(_location, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp folder's own cleanup.
            }
        }
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
