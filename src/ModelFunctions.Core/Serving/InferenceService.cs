using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Metrics;
using ModelFunctions.Core.Protocol;
using ModelFunctions.Core.Tracing;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Serves one inference request end to end: routes it, runs it on a leased model (batched when possible),
/// times it, records its outcome, and turns every failure into a status the caller can act on.
/// </summary>
public sealed class InferenceService
{
    private readonly ModelRouter _router;
    private readonly ModelCache _cache;
    private readonly ServingMetrics _metrics;
    private readonly IInferenceObserver[] _observers;
    private readonly ServingOptions _options;
    private readonly ILogger<InferenceService> _logger;

    /// <summary>Creates the service.</summary>
    public InferenceService(
        ModelRouter router,
        ModelCache cache,
        ServingMetrics metrics,
        IEnumerable<IInferenceObserver> observers,
        IOptions<ServingOptions> options,
        ILogger<InferenceService> logger)
    {
        _router = router;
        _cache = cache;
        _metrics = metrics;
        _observers = observers.ToArray();
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Runs a request against a model (a version when given, else production or canary).</summary>
    /// <exception cref="ProtocolException">The request cannot be served; <see cref="ProtocolException.StatusCode"/> says why.</exception>
    public async Task<InferenceResponse> InferAsync(string model, int? version, InferenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var route = await RouteAsync(model, version, request.Id, cancellationToken).ConfigureAwait(false);
        return await InferAsync(route, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Chooses the version a request goes to, as <see cref="ModelRouter.RouteAsync"/> does, with its failures
    /// turned into protocol errors (404 unknown model or version, 503 nothing servable yet).
    /// </summary>
    /// <exception cref="ProtocolException">The model or version cannot serve.</exception>
    public async ValueTask<RouteDecision> RouteAsync(string model, int? version, string? requestId, CancellationToken cancellationToken)
    {
        try
        {
            return await _router.RouteAsync(model, version, requestId, cancellationToken).ConfigureAwait(false);
        }
        catch (ServingException ex)
        {
            throw new ProtocolException(ex.StatusCode, ex.Message);
        }
    }

    /// <summary>
    /// Runs a request on the version already chosen for it by <see cref="RouteAsync"/> (so a handler that had to
    /// route before reading the body does not route twice).
    /// </summary>
    /// <exception cref="ProtocolException">The request cannot be served; <see cref="ProtocolException.StatusCode"/> says why.</exception>
    public async Task<InferenceResponse> InferAsync(RouteDecision route, InferenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var model = route.Model;
        var versionText = route.VersionText;
        using var pending = _metrics.Start(model, versionText);
        using var span = ServingActivities.Source.StartActivity(ServingActivities.Infer);
        if (span is not null)
        {
            span.SetTag("modelfunctions.model", model);
            span.SetTag("modelfunctions.version", versionText);
            span.SetTag("modelfunctions.rows", request.Inputs.Count > 0 && request.Inputs[0].Shape.Length > 0 ? request.Inputs[0].Shape[0] : 1);
        }

        IReadOnlyList<NamedTensor>? outputs = null;
        var outcome = RequestOutcome.ServerError;
        try
        {
            if (route.RejectNonFinite)
            {
                NonFiniteCheck.ThrowIfAny(request.Inputs);
            }

            using var lease = await AcquireAsync(route, cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            var runStarted = Stopwatch.GetTimestamp();
            try
            {
                using var run = ServingActivities.Source.StartActivity(ServingActivities.Run);
                outputs = await lease.Model.RunAsync(request.Inputs, request.OutputNames, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(model, versionText);
            }

            // The timer stops a run only if its callback gets a thread in time and ONNX Runtime sees the flag before
            // the last node; a run that finished late anyway still breaks the promise, so it answers 504 too.
            if (Stopwatch.GetElapsedTime(runStarted) > _options.RequestTimeout)
            {
                outputs = null;
                throw TimedOut(model, versionText);
            }

            outcome = RequestOutcome.Success;
            return new InferenceResponse(model, versionText, request.Id, null, outputs);
        }
        catch (InferenceInputException ex)
        {
            outcome = RequestOutcome.ClientError;
            throw new ProtocolException(400, ex.Message, ex.TensorName);
        }
        catch (InferenceRunException ex) when (ex.IsInvalidInput)
        {
            outcome = RequestOutcome.ClientError;
            throw new ProtocolException(400, ex.Message);
        }
        catch (QueueFullException ex)
        {
            outcome = RequestOutcome.Unavailable;
            throw new ProtocolException(503, ex.Message);
        }
        catch (ServingException ex)
        {
            outcome = ex.StatusCode == 503 ? RequestOutcome.Unavailable : RequestOutcome.ServerError;
            throw new ProtocolException(ex.StatusCode, ex.Message);
        }
        catch (ProtocolException ex)
        {
            outcome = ex.StatusCode switch
            {
                503 => RequestOutcome.Unavailable,
                < 500 => RequestOutcome.ClientError,
                _ => RequestOutcome.ServerError,
            };
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away; not a failure of ours.
            outcome = RequestOutcome.ClientError;
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (span is not null)
            {
                span.SetTag("modelfunctions.outcome", outcome.ToString());
                if (outcome != RequestOutcome.Success)
                {
                    span.SetStatus(ActivityStatusCode.Error, outcome.ToString());
                }
            }

            _metrics.RequestCompleted(model, versionText, outcome, elapsed);
            foreach (var observer in _observers)
            {
                observer.Completed(model, route.Version, request.Inputs, outputs, outcome, elapsed);
            }
        }
    }

    private ProtocolException TimedOut(string model, string versionText) =>
        new(504, $"Model '{model}' version {versionText} did not answer within {_options.RequestTimeout.TotalSeconds:0.###} s.");

    private async ValueTask<ModelLease> AcquireAsync(RouteDecision route, CancellationToken cancellationToken)
    {
        try
        {
            return await _cache.AcquireAsync(route.Model, route.Version, route.Batching, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelLoadException ex)
        {
            _logger.LogError(ex, "Could not load {Model} v{Version}", route.Model, route.Version);
            throw new ProtocolException(503, $"Model '{route.Model}' version {route.Version} could not be loaded; try again later.");
        }
    }
}
