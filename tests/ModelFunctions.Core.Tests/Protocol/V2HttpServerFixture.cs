using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Protocol;

namespace ModelFunctions.Core.Tests.Protocol;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (free port) serving identity_all_types.onnx through <see cref="V2Http"/>:
/// <c>/infer</c> with default limits, <c>/small</c> with a 1 KiB body limit.
/// </summary>
public sealed class V2HttpServerFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private OnnxModel? _model;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _model = ProtocolTestKit.Load("identity_all_types.onnx");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/infer", (HttpContext context) => Serve(context, new ProtocolLimits()));
        _app.MapPost("/small", (HttpContext context) => Serve(context, new ProtocolLimits { MaxBodyBytes = 1024 }));
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _model?.Dispose();
    }

    private async Task Serve(HttpContext context, ProtocolLimits limits)
    {
        var cancellationToken = context.RequestAborted;
        try
        {
            var request = await V2Http.ReadRequestAsync(context.Request, limits, cancellationToken);
            var outputs = _model!.Run(request.Inputs, request.OutputNames, cancellationToken);
            var response = new InferenceResponse("identity", "1", request.Id, null, outputs);
            await V2Http.WriteResponseAsync(context.Response, response, request, cancellationToken);
        }
        catch (ProtocolException ex)
        {
            await ProtocolErrors.WriteAsync(context.Response, ex, cancellationToken);
        }
        catch (InferenceInputException ex)
        {
            await ProtocolErrors.WriteAsync(context.Response, StatusCodes.Status400BadRequest, ex.Message, cancellationToken);
        }
    }
}
