namespace ModelFunctions.Functions.Tests.Metadata;

/// <summary>
/// The functions.metadata the build generates is what the Functions host reads to bind triggers: checked here against
/// the routes the self-hosted server really maps, the key levels the README gives, and the non-HTTP triggers' settings.
/// </summary>
public sealed class FunctionMetadataTests(ServerRoutesFixture server) : IClassFixture<ServerRoutesFixture>
{
    private static readonly IReadOnlyList<FunctionMetadata> Functions = FunctionMetadata.Load();

    [Fact]
    public void EveryServerRoute_HasOneHttpFunction_WithTheSameVerbAndRoute_AtTheRightKeyLevel()
    {
        var http = HttpTriggers();
        Assert.True(server.Routes.Count >= 24, $"only {server.Routes.Count} server routes found");

        var missing = new List<string>();
        foreach (var route in server.Routes)
        {
            var matches = http.Where(f => f.Route == route.Route && f.Methods.Contains(route.Verb)).ToList();
            if (matches.Count == 0)
            {
                missing.Add($"{route.Verb.ToUpperInvariant()} /{route.Route}");
                continue;
            }

            var match = Assert.Single(matches);
            var expected = route.Tags.Contains("Health") ? "Anonymous"
                : route.Tags.Contains("Registry admin") || route.Tags.Contains("Monitoring admin") ? "Admin"
                : "Function";
            Assert.True(expected == match.AuthLevel, $"{match.Name}: /{route.Route} should be authLevel {expected}, is {match.AuthLevel}");
        }

        Assert.True(missing.Count == 0, "Routes the server maps without a function: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryHttpFunction_IsARouteTheServerMaps()
    {
        var routes = server.Routes.Select(r => (r.Verb, r.Route)).ToHashSet();

        var extra = HttpTriggers()
            .SelectMany(f => f.Methods.Select(verb => (f.Name, Verb: verb, f.Route)))
            .Where(f => !routes.Contains((f.Verb, f.Route)))
            .Select(f => $"{f.Name}: {f.Verb.ToUpperInvariant()} /{f.Route}")
            .ToList();

        Assert.True(extra.Count == 0, "Functions with routes the server does not map: " + string.Join(", ", extra));
    }

    [Fact]
    public void EveryFunction_RunsItsClassOfTheSameName_InTheAppAssembly()
    {
        Assert.Equal(28, Functions.Count);
        Assert.Equal(Functions.Count, Functions.Select(f => f.Name).Distinct().Count());
        foreach (var function in Functions)
        {
            Assert.Equal("ModelFunctions.Functions.dll", function.ScriptFile);
            Assert.Equal("dotnet-isolated", function.Language);
            Assert.Matches($@"^ModelFunctions\.Functions\.\w+\.{function.Name}\.Run$", function.EntryPoint);
            var type = typeof(FunctionsAppServiceCollectionExtensions).Assembly.GetType(function.EntryPoint[..function.EntryPoint.LastIndexOf('.')]);
            Assert.NotNull(type);
        }
    }

    [Fact]
    public void RouteParameters_AreBoundByTheFunctions()
    {
        foreach (var function in Functions.Where(f => f.Trigger.Type == "httpTrigger"))
        {
            var type = typeof(FunctionsAppServiceCollectionExtensions).Assembly.GetType(function.EntryPoint[..function.EntryPoint.LastIndexOf('.')])!;
            var parameters = type.GetMethod("Run")!.GetParameters().Select(p => p.Name).ToHashSet();
            foreach (System.Text.RegularExpressions.Match parameter in System.Text.RegularExpressions.Regex.Matches(function.Trigger.Route!, @"\{(\w+)\}"))
            {
                Assert.True(parameters.Contains(parameter.Groups[1].Value), $"{function.Name}: route parameter {{{parameter.Groups[1].Value}}} is not bound");
            }
        }
    }

    [Fact]
    public void BlobTriggers_WatchModelFiles_OnTheModelStorageConnection_EventGridAndPolling()
    {
        var eventGrid = Trigger("RegisterModelVersion");
        var polling = Trigger("RegisterModelVersionPolling");

        foreach (var trigger in new[] { eventGrid, polling })
        {
            Assert.Equal("blobTrigger", trigger.Type);
            Assert.Equal("In", trigger.Direction);
            Assert.Equal("models/{model}/{version}/model.onnx", trigger.Path);
            Assert.Equal("ModelStorage", trigger.Connection);
        }

        Assert.Equal("EventGrid", eventGrid.Source);
        Assert.Equal("LogsAndContainerScan", polling.Source);
    }

    [Fact]
    public void Timers_TakeTheirSchedulesFromSettings()
    {
        Assert.Equal("%DriftSchedule%", Trigger("DriftChecks").Schedule);
        Assert.Equal("%HealthSchedule%", Trigger("HealthChecks").Schedule);
        Assert.All(new[] { Trigger("DriftChecks"), Trigger("HealthChecks") }, t => Assert.Equal("timerTrigger", t.Type));
    }

    private static BindingMetadata Trigger(string function) => Functions.Single(f => f.Name == function).Trigger;

    private static List<(string Name, string Route, HashSet<string> Methods, string? AuthLevel)> HttpTriggers() =>
        Functions
            .Where(f => f.Trigger.Type == "httpTrigger")
            .Select(f => (f.Name, f.Trigger.Route!, f.Trigger.Methods!.Select(m => m.ToLowerInvariant()).ToHashSet(), f.Trigger.AuthLevel))
            .ToList();
}
