using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Deployment;

/// <summary>
/// The Functions app cannot be built here, so its HTTP triggers are read from source and compared with the routes
/// the server really maps: the two hosts cannot drift apart unnoticed.
/// </summary>
public sealed partial class FunctionRoutesTests : IDisposable
{
    private const string FunctionsFolder = "src/ModelFunctions.Functions";
    private readonly string _root = Directory.CreateTempSubdirectory("mf-routes-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task EveryServerRoute_HasAFunctionWithTheSameVerbAndRoute_AtTheRightKeyLevel()
    {
        var server = await ServerRoutesAsync();
        var functions = FunctionTriggers();
        Assert.True(server.Count >= 21, $"only {server.Count} server routes found");

        var missing = new List<string>();
        foreach (var route in server)
        {
            var match = functions.FirstOrDefault(f => f.Route == route.Route && f.Verbs.Contains(route.Verb));
            if (match is null)
            {
                missing.Add($"{route.Verb.ToUpperInvariant()} /{route.Route}");
                continue;
            }

            var expected = route.Tags.Contains("Health") ? "Anonymous"
                : route.Tags.Contains("Registry admin") || route.Tags.Contains("Monitoring admin") ? "Admin"
                : null;
            if (expected is not null)
            {
                Assert.True(expected == match.Level, $"{match.File}: /{route.Route} should be AuthorizationLevel.{expected}, is {match.Level}");
            }
            else
            {
                Assert.True(match.Level is "Function" or "Admin", $"{match.File}: /{route.Route} must need a key, is {match.Level}");
            }
        }

        Assert.True(missing.Count == 0, "Routes the server maps without a function: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task EveryFunctionRoute_OutsideMonitoring_IsMappedByTheServer()
    {
        var routes = await ServerRoutesAsync();
        var server = routes.Select(r => (r.Verb, r.Route)).ToHashSet();
        // The monitoring functions are written against the monitoring API; a Core without it maps none of their routes.
        var monitoringMapped = routes.Any(r => r.Tags.Contains("Monitoring"));
        var extra = FunctionTriggers()
            .Where(f => monitoringMapped || !f.File.Contains($"{Path.DirectorySeparatorChar}Monitoring{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => f.Verbs.Select(v => (Verb: v, f.Route, f.File)))
            .Where(f => !server.Contains((f.Verb, f.Route)))
            .Select(f => $"{f.File}: {f.Verb.ToUpperInvariant()} /{f.Route}")
            .ToList();

        Assert.True(extra.Count == 0, "Functions with routes the server does not map: " + string.Join(", ", extra));
    }

    [Fact]
    public void EveryFunction_IsNamedAfterItsFile_AndBindsEachRouteParameter()
    {
        var files = Directory.GetFiles(RepositoryRoot.File(FunctionsFolder), "*.cs", SearchOption.AllDirectories)
            .Where(f => FunctionAttribute().IsMatch(File.ReadAllText(f)))
            .ToList();
        Assert.True(files.Count >= 29, $"only {files.Count} function files found");

        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var name = Path.GetFileNameWithoutExtension(file);
            Assert.Equal(name, Assert.Single(FunctionAttribute().Matches(text)).Groups[1].Value);
            Assert.Contains($"public sealed class {name}", text, StringComparison.Ordinal);
            var trigger = TriggerAttribute().Match(text);
            if (!trigger.Success)
            {
                continue;
            }

            foreach (Match parameter in RouteParameter().Matches(trigger.Groups["route"].Value))
            {
                Assert.True(text.Contains($"string {parameter.Groups[1].Value}", StringComparison.Ordinal), $"{file}: route parameter {{{parameter.Groups[1].Value}}} is not bound");
            }
        }
    }

    private async Task<List<ServerRoute>> ServerRoutesAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration[BlobStoreFactory.ConfigurationKey] = Path.Combine(_root, "store");
        builder.Configuration["ModelFunctions:Serving:CacheFolder"] = Path.Combine(_root, "cache");
        builder.Services.AddModelFunctions(builder.Configuration);
        await using var app = builder.Build();
        app.MapModelFunctions();

        return ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(verb => new ServerRoute(
                    verb.ToLowerInvariant(),
                    endpoint.RoutePattern.RawText!.TrimStart('/'),
                    endpoint.Metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags).ToHashSet())))
            .ToList();
    }

    private static List<FunctionTrigger> FunctionTriggers() =>
        Directory.GetFiles(RepositoryRoot.File(FunctionsFolder), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => TriggerAttribute().Matches(File.ReadAllText(file)).Select(match => new FunctionTrigger(
                file,
                match.Groups["level"].Value,
                VerbList().Matches(match.Groups["verbs"].Value).Select(v => v.Groups[1].Value.ToLowerInvariant()).ToHashSet(),
                match.Groups["route"].Value)))
            .ToList();

    [GeneratedRegex(@"\[HttpTrigger\(AuthorizationLevel\.(?<level>\w+),(?<verbs>(?:\s*""\w+"",)+)\s*Route\s*=\s*""(?<route>[^""]*)""\)\]")]
    private static partial Regex TriggerAttribute();

    [GeneratedRegex(@"""(\w+)""")]
    private static partial Regex VerbList();

    [GeneratedRegex(@"\[Function\(nameof\((\w+)\)\)\]")]
    private static partial Regex FunctionAttribute();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex RouteParameter();

    private sealed record ServerRoute(string Verb, string Route, HashSet<string> Tags);

    private sealed record FunctionTrigger(string File, string Level, HashSet<string> Verbs, string Route);
}
