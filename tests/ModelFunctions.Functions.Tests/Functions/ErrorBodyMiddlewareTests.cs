using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Functions.Tests.Functions;

/// <summary>The worker middleware Program.cs adds: failures escaping an HTTP function answer the protocol's error body.</summary>
public sealed class ErrorBodyMiddlewareTests
{
    [Fact]
    public async Task StoreOutageInAnHttpFunction_Answers503WithTheErrorBody()
    {
        var (context, http, body) = HttpInvocation();

        await new ErrorBodyMiddleware().Invoke(context, _ => throw new BlobStoreException("Get Blob of 'registry/iris/state.json' failed after 5 tries."));

        Assert.Equal(503, http.Response.StatusCode);
        Assert.Contains("\"error\":\"The model store is unavailable", Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task UnexpectedFault_Answers500NamingTheRequestId()
    {
        var (context, http, body) = HttpInvocation();
        http.TraceIdentifier = "req-42";

        await new ErrorBodyMiddleware().Invoke(context, _ => throw new InvalidCastException("boom"));

        Assert.Equal(500, http.Response.StatusCode);
        Assert.Contains("req-42", Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task NonHttpFunctionFailures_GoToTheHost_SoItRetries()
    {
        var context = new TestFunctionContext(new Dictionary<object, object>());

        await Assert.ThrowsAsync<BlobStoreException>(() => new ErrorBodyMiddleware().Invoke(context, _ => throw new BlobStoreException("down")));
    }

    private static (FunctionContext Context, HttpContext Http, MemoryStream Body) HttpInvocation()
    {
        var services = new ServiceCollection().AddLogging(l => l.ClearProviders()).BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        var body = new MemoryStream();
        http.Response.Body = body;
        // Where the ASP.NET Core integration keeps an invocation's HttpContext (GetHttpContext reads it).
        var context = new TestFunctionContext(new Dictionary<object, object> { ["HttpRequestContext"] = http }) { InstanceServices = services };
        return (context, http, body);
    }
}
