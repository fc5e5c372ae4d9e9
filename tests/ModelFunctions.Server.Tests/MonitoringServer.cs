using ModelFunctions.Core.Tests.Monitoring;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ModelFunctions.Core.Registry;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Server.Tests;

/// <summary>
/// The real server (WebApplicationFactory over Program) on an empty temporary folder store, which it seeds with
/// the iris sample; a movable clock; a webhook receiver on a free loopback port; schedules off (tests run the
/// checks through POST /api/monitoring/run).
/// </summary>
internal sealed class MonitoringServer : IDisposable
{
    public const string WebhookSecret = "e2e-secret";

    private readonly WebApplicationFactory<Program> _factory;

    public MonitoringServer(params (string Key, string Value)[] settings)
    {
        StoreFolder = Directory.CreateTempSubdirectory("mf-monitoring-e2e-").FullName;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ModelFunctions:Store", StoreFolder);
            builder.UseSetting("ModelFunctions:Registration:StableFor", "00:00:00");
            builder.UseSetting("ModelFunctions:Monitoring:RunSchedules", "false");
            builder.UseSetting("ModelFunctions:Monitoring:WindowLength", "00:01:00");
            builder.UseSetting("ModelFunctions:Monitoring:ReservoirCapacity", "1024");
            builder.UseSetting("ModelFunctions:Monitoring:LearnedBaselineSize", "200");
            builder.UseSetting("ModelFunctions:Monitoring:InstanceId", "e2e");
            builder.UseSetting("ModelFunctions:Monitoring:WebhookUrl", Receiver.Url.ToString());
            builder.UseSetting("ModelFunctions:Monitoring:WebhookSecret", WebhookSecret);
            builder.UseSetting("ModelFunctions:Monitoring:WebhookBackoff", "00:00:00.050");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        });
        Client = _factory.CreateClient();
    }

    public string StoreFolder { get; }

    public AdjustableTimeProvider Time { get; } = new();

    public WebhookReceiver Receiver { get; } = new();

    public HttpClient Client { get; }

    public IBlobStore Store => _factory.Services.GetRequiredService<IBlobStore>();

    public static float[][] ReferenceRows { get; } = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "models", "iris.reference.csv"))
        .Skip(1)
        .Select(line => line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())
        .ToArray();

    /// <summary>Sends rows in requests of <paramref name="rowsPerRequest"/>; returns the status codes.</summary>
    public async Task<List<int>> InferAsync(IEnumerable<float[]> rows, int rowsPerRequest, int? version = null)
    {
        var statuses = new List<int>();
        foreach (var chunk in rows.Chunk(rowsPerRequest))
        {
            var body = new
            {
                inputs = new[]
                {
                    new { name = "features", shape = new[] { chunk.Length, chunk[0].Length }, datatype = "FP32", data = chunk.SelectMany(r => r).ToArray() },
                },
            };
            var path = version is { } v ? $"/v2/models/iris/versions/{v}/infer" : "/v2/models/iris/infer";
            using var response = await Client.PostAsJsonAsync(path, body);
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }

    /// <summary>POST /api/monitoring/run; returns the iris report.</summary>
    public async Task<JsonElement> RunChecksAsync()
    {
        using var response = await Client.PostAsync("/api/monitoring/run", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.EnumerateArray().Single(r => r.GetProperty("model").GetString() == "iris").Clone();
    }

    public async Task PutAsync(string name, byte[] content)
    {
        using var stream = new MemoryStream(content);
        await Store.PutAsync(ModelStoreLayout.ModelsContainer, name, stream, BlobCondition.None, null, CancellationToken.None);
    }

    public Task SetSettingsAsync(string json) => PutAsync(ModelStoreLayout.SettingsBlob("iris"), Encoding.UTF8.GetBytes(json));

    /// <summary>Drops a model file as a new iris version and registers it through the admin scan.</summary>
    public async Task RegisterAsync(int version, string modelFile)
    {
        await PutAsync(ModelStoreLayout.ReferenceBlob("iris", version), File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "models", "iris.reference.csv")));
        await PutAsync(ModelStoreLayout.ModelBlob("iris", version), File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "models", modelFile)));
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var scan = await Client.PostAsync("/api/registry/scan", null);
            Assert.True(scan.IsSuccessStatusCode, await scan.Content.ReadAsStringAsync());
            var model = await GetModelAsync();
            if (model.GetProperty("versions").EnumerateArray().Any(v => v.GetProperty("version").GetInt32() == version))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"iris v{version} was not registered");
    }

    public async Task<JsonElement> GetModelAsync()
    {
        using var document = JsonDocument.Parse(await Client.GetStringAsync("/api/models/iris"));
        return document.RootElement.Clone();
    }

    /// <summary>The webhook payloads received so far, each checked against its signature.</summary>
    public List<JsonElement> SignedPayloads()
    {
        var payloads = new List<JsonElement>();
        foreach (var (signature, body) in Receiver.Received)
        {
            var expected = "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), body));
            Assert.Equal(expected, signature);
            using var document = JsonDocument.Parse(body);
            payloads.Add(document.RootElement.Clone());
        }

        return payloads;
    }

    public void Dispose()
    {
        Client.Dispose();
        _factory.Dispose();
        Receiver.Dispose();
        try
        {
            Directory.Delete(StoreFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
