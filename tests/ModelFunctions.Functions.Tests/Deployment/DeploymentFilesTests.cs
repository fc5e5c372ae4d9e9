using System.Text.Json;
using System.Text.RegularExpressions;

namespace ModelFunctions.Functions.Tests.Deployment;

public sealed class DeploymentFilesTests
{
    private static readonly string[] AlertEventNames =
    [
        "ModelFunctions.DriftAlert",
        "ModelFunctions.ErrorRateAlert",
        "ModelFunctions.CanaryRollback",
    ];

    [Fact]
    public void HostJson_RemovesRoutePrefix_AndKeepsRequestsExceptionsAndEventsOutOfSampling()
    {
        using var host = JsonDocument.Parse(RepositoryRoot.ReadAllText("host.json"));
        var root = host.RootElement;

        Assert.Equal("2.0", root.GetProperty("version").GetString());
        Assert.Equal("", root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.True(TimeSpan.TryParse(root.GetProperty("functionTimeout").GetString(), out var timeout));
        Assert.InRange(timeout, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30));
        var excluded = root.GetProperty("logging").GetProperty("applicationInsights")
            .GetProperty("samplingSettings").GetProperty("excludedTypes").GetString()!.Split(';');
        Assert.Contains("Request", excluded);
        Assert.Contains("Exception", excluded);
        Assert.Contains("Event", excluded);
    }

    [Fact]
    public void LocalSettingsSample_PointsEveryConnectionAtAzurite_AndHoldsNoSecrets()
    {
        var text = RepositoryRoot.ReadAllText("local.settings.sample.json");
        using var settings = JsonDocument.Parse(text);
        var values = settings.RootElement.GetProperty("Values");

        Assert.False(settings.RootElement.GetProperty("IsEncrypted").GetBoolean());
        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        foreach (var connection in new[] { "AzureWebJobsStorage", "ModelStorage", "ModelFunctions__Store" })
        {
            Assert.Equal("UseDevelopmentStorage=true", values.GetProperty(connection).GetString());
        }

        Assert.Equal("0 */5 * * * *", values.GetProperty("DriftSchedule").GetString());
        Assert.Equal("0 */1 * * * *", values.GetProperty("HealthSchedule").GetString());
        // No Event Grid locally: the polling twin of the blob trigger registers drops instead.
        Assert.Equal("true", values.GetProperty("AzureWebJobs.RegisterModelVersion.Disabled").GetString());
        Assert.Equal("false", values.GetProperty("AzureWebJobs.RegisterModelVersionPolling.Disabled").GetString());
        Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessSignature", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MainParameters_OnlyNameParametersThatMainBicepDeclares()
    {
        var declared = Regex.Matches(RepositoryRoot.ReadAllText("infra/main.bicep"), @"^param (\w+) ", RegexOptions.Multiline)
            .Select(match => match.Groups[1].Value)
            .ToHashSet();
        using var parameters = JsonDocument.Parse(RepositoryRoot.ReadAllText("infra/main.parameters.json"));

        var named = parameters.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("gpuProfile", declared);
        Assert.Contains("subscribeBlobEvents", declared);
        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Contains(name, declared));
    }

    [Fact]
    public void FunctionApp_UsesIdentityBasedConnectionsOnly()
    {
        var functionApp = RepositoryRoot.ReadAllText("infra/modules/functionapp.bicep");
        var settingNames = Regex.Matches(functionApp, @"name: '([A-Za-z_]+)'")
            .Select(match => match.Groups[1].Value)
            .ToHashSet();

        foreach (var connection in new[] { "AzureWebJobsStorage", "ModelStorage", "ModelFunctions__Store" })
        {
            Assert.Contains($"{connection}__blobServiceUri", settingNames);
            Assert.Contains($"{connection}__credential", settingNames);
            Assert.Contains($"{connection}__clientId", settingNames);
            Assert.DoesNotContain(connection, settingNames);
        }

        Assert.Contains("AzureWebJobsStorage__queueServiceUri", settingNames);
        Assert.Contains("AzureWebJobsStorage__tableServiceUri", settingNames);
        Assert.Contains("ModelFunctions__OnnxRuntime__ExecutionProvider", settingNames);
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", settingNames);
        Assert.DoesNotContain("listKeys", functionApp);
        Assert.DoesNotContain("AccountKey", functionApp);
        Assert.DoesNotContain("DOCKER_REGISTRY_SERVER_PASSWORD", functionApp);
    }

    [Fact]
    public void AlertEventNames_AreDeclaredOnceInTheAlertsModuleAndNowhereElse()
    {
        var bicepFiles = Directory.GetFiles(RepositoryRoot.File("infra"), "*.bicep", SearchOption.AllDirectories)
            .Where(path => !path.Contains("node_modules", StringComparison.Ordinal))
            .ToList();

        foreach (var eventName in AlertEventNames)
        {
            var holders = bicepFiles
                .Select(path => (path, count: Regex.Matches(File.ReadAllText(path), $"'{Regex.Escape(eventName)}'").Count))
                .Where(file => file.count > 0)
                .ToList();

            var holder = Assert.Single(holders);
            Assert.Equal("alerts.bicep", Path.GetFileName(holder.path));
            Assert.Equal(1, holder.count);
        }
    }

    [Fact]
    public void Dockerfile_PicksOnnxRuntimesBuildByTheVariant_AndCopiesHostJson()
    {
        var dockerfile = RepositoryRoot.ReadAllText("src/ModelFunctions.Functions/Dockerfile");

        Assert.Contains("-p:OnnxRuntimeGpu=$([ \"$VARIANT\" = \"gpu\" ] && echo true || echo false)", dockerfile);
        // The app's project links the repository's host.json: the build stage needs it in its context.
        Assert.Matches(@"(?m)^COPY [^\n]*\bhost\.json\b[^\n]* \./$", dockerfile);
        Assert.Matches(@"(?m)^ARG VARIANT=(cpu|gpu)$", dockerfile);
        Assert.Matches(@"(?m)^FROM runtime-\$\{VARIANT\} AS final$", dockerfile);
        Assert.Matches(@"(?m)^FROM \S+ AS runtime-cpu$", dockerfile);
        Assert.Matches(@"(?m)^FROM \S+ AS runtime-gpu$", dockerfile);
        Assert.Contains("AzureWebJobsScriptRoot=/home/site/wwwroot", dockerfile);
        Assert.Contains("libcudnn", dockerfile);
    }
}
