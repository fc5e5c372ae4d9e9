using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Server.Tests.Support;

/// <summary>
/// The real server (Program) on Kestrel at a free 127.0.0.1 port, over a store in a temp folder (or the store
/// a subclass names), with test-friendly settings: no registration delay, a short state refresh interval.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mf-server-tests-" + Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<Program>? _factory;

    /// <summary>A client of the running server (real sockets).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The server's own store, for dropping models.</summary>
    public IBlobStore Store { get; private set; } = null!;

    /// <summary>The server's base address.</summary>
    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>The store setting: by default a temp folder.</summary>
    protected virtual string StoreSetting => Path.Combine(_root, "store");

    /// <summary>Whether the server listens on a real socket (Kestrel) rather than the in-memory TestServer.</summary>
    protected virtual bool UseKestrel => true;

    /// <summary>Settings a subclass adds or overrides.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> ExtraSettings => [];

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var settings = new Dictionary<string, string>
        {
            ["ModelFunctions:Store"] = StoreSetting,
            ["ModelFunctions:Serving:CacheFolder"] = Path.Combine(_root, "cache"),
            ["ModelFunctions:Serving:StateRefreshInterval"] = "00:00:00.050",
            ["ModelFunctions:Registration:WorkFolder"] = Path.Combine(_root, "work"),
            ["ModelFunctions:Registration:StableFor"] = "00:00:00",
            ["ModelFunctions:Registration:PollInterval"] = "01:00:00",
            ["ModelFunctions:Limits:MaxBodyBytes"] = "1048576",
            ["ModelFunctions:Limits:MaxElementsPerTensor"] = "1000000",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.UseEnvironment("Production");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        if (UseKestrel)
        {
            _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        }

        _factory.StartServer();
        Client = _factory.CreateClient();
        Client.Timeout = TimeSpan.FromSeconds(60);
        Store = _factory.Services.GetRequiredService<IBlobStore>();
        await WaitUntilReadyAsync();
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        Client?.Dispose();
        await StopAsync();

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the temp folder's own cleanup.
        }
    }

    /// <summary>Asks the host to stop, as Ctrl-C does: it stops taking requests and lets in-flight ones finish.</summary>
    public void RequestStop() => _factory!.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().StopApplication();

    /// <summary>Stops the host (gracefully: in-flight requests may finish) and disposes it.</summary>
    public async Task StopAsync()
    {
        if (_factory is { } factory)
        {
            _factory = null;
            await factory.DisposeAsync();
        }
    }

    /// <summary>A new client of the same server with a fresh connection pool.</summary>
    public HttpClient CreateClient() => _factory!.CreateClient();

    /// <summary>Drops a model file (and optionally model.json) into the store and registers it through the scan API.</summary>
    public async Task<JsonElement> DropAsync(string model, int version, string modelFile, string? settingsJson = null, HttpClient? admin = null)
    {
        if (settingsJson is not null)
        {
            await PutAsync(ModelStoreLayout.SettingsBlob(model), Encoding.UTF8.GetBytes(settingsJson));
        }

        await PutAsync(ModelStoreLayout.ModelBlob(model, version), File.Exists(modelFile) ? File.ReadAllBytes(modelFile) : ServerTestModels.Bytes(modelFile));
        return await ScanAsync(admin);
    }

    /// <summary>Drops and registers a model version unless the registry already has it (classes share one server).</summary>
    public async Task EnsureAsync(string model, int version, string modelFile, string? settingsJson = null, HttpClient? admin = null)
    {
        using var existing = await (admin ?? Client).GetAsync($"/api/models/{model}/versions/{version}");
        if (existing.StatusCode != HttpStatusCode.OK)
        {
            await DropAsync(model, version, modelFile, settingsJson, admin);
        }
    }

    /// <summary>Writes raw bytes as a model file (for rejected versions).</summary>
    public Task PutAsync(string name, byte[] content) =>
        Store.PutAsync(ModelStoreLayout.ModelsContainer, name, new MemoryStream(content), BlobCondition.None, null, CancellationToken.None);

    /// <summary><c>POST /api/registry/scan</c>.</summary>
    public async Task<JsonElement> ScanAsync(HttpClient? admin = null)
    {
        using var response = await (admin ?? Client).PostAsync("/api/registry/scan", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Waits until a model (or one version) reports ready, loading it if needed.</summary>
    public async Task WaitModelReadyAsync(string model, int? version = null, HttpClient? client = null)
    {
        var path = version is null ? $"/v2/models/{model}/ready" : $"/v2/models/{model}/versions/{version}/ready";
        for (var attempt = 0; attempt < 400; attempt++)
        {
            using var response = await (client ?? Client).GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"{path} did not become ready.");
    }

    private async Task WaitUntilReadyAsync()
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            using var response = await Client.GetAsync("/v2/health/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The server did not become ready.");
    }
}
