using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ModelFunctions.Functions.Tests.Functions;

/// <summary>
/// Calls a function class the way the worker does: created by <see cref="ActivatorUtilities"/> from the app's
/// services, handed an <see cref="HttpRequest"/> whose context carries those services.
/// </summary>
internal static class FunctionCall
{
    public static T Create<T>(IServiceProvider services) => ActivatorUtilities.CreateInstance<T>(services);

    public static async Task<(int Status, string Body)> HttpAsync<T>(
        IServiceProvider services,
        string method,
        string path,
        string? body,
        Func<T, HttpRequest, Task> run)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        context.Request.Path = path;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = bytes.Length;
            context.Request.Body = new MemoryStream(bytes);
        }

        var response = new MemoryStream();
        context.Response.Body = response;
        await run(Create<T>(services), context.Request);
        await context.Response.CompleteAsync();
        return (context.Response.StatusCode, Encoding.UTF8.GetString(response.ToArray()));
    }
}
