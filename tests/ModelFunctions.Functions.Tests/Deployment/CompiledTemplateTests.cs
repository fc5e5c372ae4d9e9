using System.Text.Json;
using System.Text.RegularExpressions;
using ModelFunctions.Core.Monitoring.Alerts;

namespace ModelFunctions.Functions.Tests.Deployment;

/// <summary>What matters in the ARM JSON the Bicep compiler makes of infra/main.bicep.</summary>
public sealed partial class CompiledTemplateTests(CompiledTemplateFixture arm) : IClassFixture<CompiledTemplateFixture>
{
    // Built-in role definition ids, the same in every tenant.
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

    [Fact]
    public void GpuProfile_ReachesTheEnvironmentAndTheApp_AndPicksTheCudaProvider()
    {
        var allowed = arm.Main.GetProperty("parameters").GetProperty("gpuProfile").GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString()).ToList();
        var environment = arm.Resources("containerapps-env", "Microsoft.App/managedEnvironments").Single();
        var site = arm.Resources("functionapp", "Microsoft.Web/sites").Single();

        Assert.Equal(["", "Consumption-GPU-NC8as-T4", "Consumption-GPU-NC24-A100"], allowed);
        Assert.Equal("[parameters('gpuProfile')]", ModuleParameter("containerapps-env", "gpuProfile"));
        Assert.Equal("[parameters('gpuProfile')]", ModuleParameter("functionapp", "gpuProfile"));
        Assert.Contains("parameters('gpuProfile')", arm.Module("containerapps-env").GetProperty("variables").GetProperty("gpuProfiles").GetString());
        Assert.Contains("variables('gpuProfiles')", environment.GetProperty("properties").GetProperty("workloadProfiles").GetString());
        Assert.Equal("functionapp,linux,container,azurecontainerapps", site.GetProperty("kind").GetString());
        Assert.Equal("[parameters('environmentId')]", site.GetProperty("properties").GetProperty("managedEnvironmentId").GetString());
        Assert.Equal("[parameters('workloadProfileName')]", site.GetProperty("properties").GetProperty("workloadProfileName").GetString());
        Assert.Equal("[if(empty(parameters('gpuProfile')), 'Cpu', 'Cuda')]", arm.Module("functionapp").GetProperty("variables").GetProperty("executionProvider").GetString());
    }

    [Fact]
    public void Identity_HoldsTheStorageDataRolesOnTheAccount_AndAcrPullOnTheRegistry()
    {
        var identity = arm.Module("identity");
        var roles = identity.GetProperty("variables").GetProperty("roles");
        var assignments = arm.Resources("identity", "Microsoft.Authorization/roleAssignments").ToList();
        var storageRoles = identity.GetProperty("variables").GetProperty("storageRoleIds").EnumerateArray().Select(r => r.GetString()).ToList();

        Assert.Equal(StorageBlobDataOwner, roles.GetProperty("storageBlobDataOwner").GetString());
        Assert.Equal(StorageQueueDataContributor, roles.GetProperty("storageQueueDataContributor").GetString());
        Assert.Equal(StorageTableDataContributor, roles.GetProperty("storageTableDataContributor").GetString());
        Assert.Equal(AcrPull, roles.GetProperty("acrPull").GetString());
        Assert.Equal(["[variables('roles').storageBlobDataOwner]", "[variables('roles').storageQueueDataContributor]", "[variables('roles').storageTableDataContributor]"], storageRoles);
        var onStorage = Assert.Single(assignments, a => a.TryGetProperty("copy", out _) && a.GetProperty("scope").GetString()!.Contains("Microsoft.Storage/storageAccounts", StringComparison.Ordinal));
        Assert.Contains("variables('storageRoleIds')", onStorage.GetProperty("copy").GetProperty("count").GetString());
        Assert.Contains(assignments, a => a.GetProperty("scope").GetString()!.Contains("Microsoft.ContainerRegistry/registries", StringComparison.Ordinal)
            && a.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!.Contains("variables('roles').acrPull", StringComparison.Ordinal));
        Assert.All(assignments, a => Assert.Contains("principalId", a.GetProperty("properties").GetRawText()));
    }

    [Fact]
    public void Storage_RefusesSharedKeys_AndNothingReadsAKeyButTheLogWorkspaceAndTheBlobWebhook()
    {
        var account = arm.Resources("storage", "Microsoft.Storage/storageAccounts").Single().GetProperty("properties");
        var settings = AppSettingNames();

        Assert.False(account.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(account.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal("TLS1_2", account.GetProperty("minimumTlsVersion").GetString());
        foreach (var connection in new[] { "AzureWebJobsStorage", "ModelStorage", "ModelFunctions__Store" })
        {
            Assert.DoesNotContain(connection, settings);
            Assert.Contains($"{connection}__blobServiceUri", settings);
            Assert.Contains($"{connection}__clientId", settings);
        }

        Assert.DoesNotContain("AccountKey", arm.Text, StringComparison.Ordinal);
        var keyReads = ListKeys().Matches(arm.Text).Select(m => m.Value).ToList();
        Assert.Equal(2, keyReads.Count);
        Assert.Contains(keyReads, k => k.Contains("Microsoft.OperationalInsights/workspaces", StringComparison.Ordinal));
        Assert.Contains(keyReads, k => k.Contains("/host/default", StringComparison.Ordinal));
    }

    [Fact]
    public void TheBlobExtensionKey_IsReadAtDeployment_AndNeverAParameterOrAnOutput()
    {
        var subscription = arm.Resources("eventgrid", "Microsoft.EventGrid/systemTopics/eventSubscriptions").Single();
        var endpoint = subscription.GetProperty("properties").GetProperty("destination").GetProperty("properties").GetProperty("endpointUrl").GetString()!;
        var secure = arm.Main.GetProperty("parameters").EnumerateObject()
            .Where(p => p.Value.GetProperty("type").GetString() is "securestring" or "secureObject")
            .Select(p => p.Name)
            .ToList();

        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.", endpoint);
        Assert.Contains("systemKeys.blobs_extension", endpoint);
        Assert.Equal("[parameters('subscribe')]", subscription.GetProperty("condition").GetString());
        Assert.Equal(["alertWebhookUrl"], secure);
        Assert.DoesNotContain(arm.Main.GetProperty("parameters").EnumerateObject(), p => p.Name.Contains("key", StringComparison.OrdinalIgnoreCase));
        foreach (var module in new[] { "storage", "monitoring", "registry", "identity", "containerapps-env", "functionapp", "eventgrid", "alerts" })
        {
            var outputs = arm.Module(module).TryGetProperty("outputs", out var o) ? o.GetRawText() : "";
            Assert.DoesNotContain("listKeys", outputs, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("listKeys", arm.Main.GetProperty("outputs").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void AlertRules_WatchTheCustomEventsTheAppSends()
    {
        var events = arm.Module("alerts").GetProperty("variables").GetProperty("alertEvents").EnumerateArray()
            .Select(e => e.GetProperty("eventName").GetString())
            .ToList();
        var rules = arm.Resources("alerts", "Microsoft.Insights/scheduledQueryRules").Single();
        var sent = typeof(AlertEventNames).GetFields().Where(f => f.IsLiteral).Select(f => (string?)f.GetRawConstantValue()).ToHashSet();

        Assert.Equal([AlertEventNames.Drift, AlertEventNames.ErrorRate, AlertEventNames.Latency, AlertEventNames.CanaryRollback], events);
        Assert.All(events, e => Assert.Contains(e, sent));
        Assert.Contains("variables('alertEvents')", rules.GetProperty("copy").GetProperty("count").GetString());
        Assert.Contains("customEvents | where name ==", rules.GetProperty("properties").GetRawText());
    }

    private string? ModuleParameter(string deployment, string name) =>
        arm.Main.GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("name").GetString() == deployment)
            .GetProperty("properties").GetProperty("parameters").GetProperty(name).GetProperty("value").GetString();

    private HashSet<string> AppSettingNames() =>
        arm.Module("functionapp").GetProperty("variables").GetProperty("appSettings").EnumerateArray()
            .Select(s => s.GetProperty("name").GetString()!)
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"listKeys\([^;]*?\)\.[A-Za-z_.]+")]
    private static partial Regex ListKeys();
}
