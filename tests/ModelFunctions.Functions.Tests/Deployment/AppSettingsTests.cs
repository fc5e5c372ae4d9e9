using System.Text.Json;
using System.Text.RegularExpressions;
using ModelFunctions.Functions.Tests.Metadata;

namespace ModelFunctions.Functions.Tests.Deployment;

/// <summary>
/// Every setting a binding in functions.metadata names (connections, %...% expressions, the AzureWebJobs.*.Disabled
/// switches) is present both in local.settings.sample.json and in the app settings Bicep deploys, so neither a
/// <c>func start</c> nor a deployment can miss one.
/// </summary>
public sealed partial class AppSettingsTests(CompiledTemplateFixture arm) : IClassFixture<CompiledTemplateFixture>
{
    private static readonly IReadOnlyList<FunctionMetadata> Functions = FunctionMetadata.Load();

    [Fact]
    public void EveryConnectionABindingNames_IsSetLocally_AndDeployedAsAnIdentityConnection()
    {
        var connections = Functions.SelectMany(f => f.Bindings).Select(b => b.Connection).OfType<string>().Distinct().ToList();
        var local = LocalSettings();
        var deployed = DeployedSettings();

        Assert.Equal(["ModelStorage"], connections);
        foreach (var connection in connections.Append("AzureWebJobsStorage").Append("ModelFunctions__Store"))
        {
            Assert.True(local.ContainsKey(connection), $"local.settings.sample.json has no {connection}");
            foreach (var part in new[] { "blobServiceUri", "credential", "clientId" })
            {
                Assert.True(deployed.ContainsKey($"{connection}__{part}"), $"the Bicep app settings have no {connection}__{part}");
            }

            Assert.Equal("'managedidentity'", deployed[$"{connection}__credential"]);
        }
    }

    [Fact]
    public void EverySettingABindingExpressionNames_IsSetLocallyAndDeployed()
    {
        var names = Functions.SelectMany(f => f.Bindings)
            .SelectMany(b => new[] { b.Schedule, b.Path, b.Route, b.Connection })
            .OfType<string>()
            .SelectMany(value => SettingExpression().Matches(value).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();
        var local = LocalSettings();
        var deployed = DeployedSettings();

        Assert.Equal(["DriftSchedule", "HealthSchedule"], names.Order());
        foreach (var name in names)
        {
            Assert.True(local.ContainsKey(name), $"local.settings.sample.json has no {name}");
            Assert.True(deployed.ContainsKey(name), $"the Bicep app settings have no {name}");
            Assert.True(Core.Monitoring.Scheduling.TimerSchedule.TryParse(local[name], out _), $"{name} = '{local[name]}' is not a schedule");
        }
    }

    [Fact]
    public void DisabledSwitches_NameRealFunctions_AndLetExactlyOneBlobSourceRegisterEachDrop()
    {
        var names = Functions.Select(f => f.Name).ToHashSet();
        var blobFunctions = Functions.Where(f => f.Trigger.Type == "blobTrigger").Select(f => f.Name).ToList();
        foreach (var (file, settings) in new[] { ("local.settings.sample.json", LocalSettings()), ("Bicep", DeployedSettings()) })
        {
            var switches = settings.Where(s => s.Key.StartsWith("AzureWebJobs.", StringComparison.Ordinal) && s.Key.EndsWith(".Disabled", StringComparison.Ordinal))
                .ToDictionary(s => s.Key["AzureWebJobs.".Length..^".Disabled".Length], s => s.Value.Trim('\'') == "true");
            Assert.All(switches.Keys, name => Assert.True(names.Contains(name), $"{file} disables '{name}', which is no function"));
            Assert.All(blobFunctions, name => Assert.True(switches.ContainsKey(name), $"{file} does not say whether {name} runs"));
            Assert.Single(blobFunctions, name => !switches[name]);
        }
    }

    private static Dictionary<string, string> LocalSettings()
    {
        using var document = JsonDocument.Parse(RepositoryRoot.ReadAllText("local.settings.sample.json"));
        return document.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    // Name -> the compiled value (an ARM expression such as "[parameters('driftSchedule')]" or a quoted literal).
    private Dictionary<string, string> DeployedSettings() =>
        arm.Module("functionapp").GetProperty("variables").GetProperty("appSettings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").ValueKind == JsonValueKind.String && !s.GetProperty("value").GetString()!.StartsWith('[') ? $"'{s.GetProperty("value").GetString()}'" : s.GetProperty("value").ToString());

    [GeneratedRegex(@"%([^%]+)%")]
    private static partial Regex SettingExpression();
}
