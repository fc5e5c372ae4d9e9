extern alias server;

using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Storage;
using ModelFunctions.Core.Tests.Storage;

namespace ModelFunctions.Functions.Tests.Functions;

/// <summary>
/// The Functions app as far as it runs without the Functions host: a generic host with exactly the services its
/// Program.cs registers (<see cref="FunctionsAppServiceCollectionExtensions.AddModelFunctionsApp"/>), started so its
/// hosted services run, over a model store in Azurite. Next to it, the self-hosted server on the same store, whose
/// answers the functions' answers are compared with. The server seeds the iris sample into the store.
/// </summary>
public sealed class FunctionsAppFixture : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("mf-functions-").FullName;
    private WebApplicationFactory<server::Program>? _server;

    /// <summary>The emulator both apps use.</summary>
    public AzuriteFixture Azurite { get; } = new();

    /// <summary>The Functions app's host.</summary>
    public IHost App { get; private set; } = null!;

    /// <summary>A client of the self-hosted server.</summary>
    public HttpClient Server { get; private set; } = null!;

    /// <summary>The store, as the Functions app sees it.</summary>
    public IBlobStore Store => App.Services.GetRequiredService<IBlobStore>();

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ModelFunctions:Store"] = Azurite.ConnectionString,
            ["ModelFunctions:Serving:StateRefreshInterval"] = "00:00:00.050",
            ["ModelFunctions:Registration:StableFor"] = "00:00:00",
            ["ModelFunctions:Monitoring:RunSchedules"] = "false",
        };

        _server = new WebApplicationFactory<server::Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting("ModelFunctions:Serving:CacheFolder", Path.Combine(_root, "server-cache"));
            builder.UseSetting("ModelFunctions:Registration:WorkFolder", Path.Combine(_root, "server-work"));
            builder.UseSetting("ModelFunctions:Monitoring:InstanceId", "server");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        Server = _server.CreateClient();
        await WaitAsync(async () => (await Server.GetAsync("/v2/models/iris/ready")).StatusCode == HttpStatusCode.OK);

        var app = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        app.Configuration.AddInMemoryCollection(settings);
        app.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ModelFunctions:Serving:CacheFolder"] = Path.Combine(_root, "app-cache"),
            ["ModelFunctions:Registration:WorkFolder"] = Path.Combine(_root, "app-work"),
            ["ModelFunctions:Monitoring:InstanceId"] = "functions",
        });
        app.Logging.SetMinimumLevel(LogLevel.Warning);
        app.Services.AddModelFunctionsApp(app.Configuration);
        App = app.Build();
        await App.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync();
            App.Dispose();
        }

        Server?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await Azurite.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server did not get ready.");
    }
}
