using System.Diagnostics;
using System.Threading.Channels;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Serving;

/// <summary>
/// Merges concurrent requests to one model into shared runs along the first dimension and splits the results back.
/// While nothing is executing or waiting a request runs at once on its caller's thread (an idle batcher adds no
/// latency and no thread hop); while runs execute, requests queue and the next run takes up to
/// <see cref="BatchingOptions.MaxBatchSize"/> rows, waiting at most <see cref="BatchingOptions.MaxQueueDelayMs"/>
/// for more.
/// </summary>
internal sealed class DynamicBatcher : IAsyncDisposable
{
    private readonly OnnxModel _model;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _maxQueueDelay;
    private readonly IBatchObserver _observer;
    private readonly Channel<PendingRun> _queue;
    private readonly Queue<PendingRun> _carried = new();
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _executing;

    // Requests accepted into the queue and not yet handed to a run (or dropped): while any wait, none may skip ahead.
    private int _waiting;

    public DynamicBatcher(OnnxModel model, int maxBatchSize, TimeSpan maxQueueDelay, int maxQueueLength, int concurrentRuns, IBatchObserver observer)
    {
        _model = model;
        _maxBatchSize = maxBatchSize;
        _maxQueueDelay = maxQueueDelay;
        _observer = observer;
        _slots = new SemaphoreSlim(concurrentRuns, concurrentRuns);
        _queue = Channel.CreateBounded<PendingRun>(new BoundedChannelOptions(maxQueueLength)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Whether a run is executing now.</summary>
    internal bool IsExecuting => Volatile.Read(ref _executing) > 0;

    /// <summary>
    /// Runs a request whose inputs already passed validation, at once when the batcher is idle and otherwise in the
    /// next batch, and returns its outputs.
    /// </summary>
    /// <exception cref="QueueFullException">Too many requests are waiting.</exception>
    /// <exception cref="ServingException">503: the batcher is stopping (its model is being unloaded).</exception>
    public Task<IReadOnlyList<NamedTensor>> RunAsync(
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<string>? outputs,
        string key,
        CancellationToken cancellationToken)
    {
        if (TryRunNow(inputs, outputs, cancellationToken) is { } result)
        {
            return Task.FromResult(result);
        }

        var pending = new PendingRun(inputs, outputs, key, inputs[0].Shape[0], cancellationToken, Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _waiting);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _waiting);
            if (_stopping.IsCancellationRequested)
            {
                throw Unloaded();
            }

            throw new QueueFullException($"Model '{_model.DisplayName}' has too many requests waiting; try again later.");
        }

        return pending.Completion.Task;
    }

    /// <summary>
    /// Runs a request on the caller's thread when the batcher is idle (nothing executing, nothing waiting), since a
    /// queue with no company to wait for would only add two thread hops; null when it is busy.
    /// </summary>
    private IReadOnlyList<NamedTensor>? TryRunNow(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputs, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _waiting) != 0 || Interlocked.CompareExchange(ref _executing, 1, 0) != 0)
        {
            return null;
        }

        // Checked again now that this run counts as executing: a request queued in between goes first.
        if (Volatile.Read(ref _waiting) != 0 || _stopping.IsCancellationRequested || !_slots.Wait(0))
        {
            Interlocked.Decrement(ref _executing);
            return null;
        }

        try
        {
            _observer.Queued(TimeSpan.Zero);
            return RunOne(inputs, outputs, inputs[0].Shape[0], cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _executing);
            _slots.Release();
        }
    }

    private async Task LoopAsync()
    {
        var batch = new List<PendingRun>(_maxBatchSize);
        try
        {
            while (true)
            {
                if (!TryTake(out var first))
                {
                    if (!await _queue.Reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                if (first.CancellationToken.IsCancellationRequested)
                {
                    Interlocked.Decrement(ref _waiting);
                    first.Completion.TrySetCanceled(first.CancellationToken);
                    continue;
                }

                batch.Add(first);
                var rows = first.Rows;
                var deadline = Stopwatch.GetTimestamp() + (long)(_maxQueueDelay.TotalSeconds * Stopwatch.Frequency);
                while (rows < _maxBatchSize)
                {
                    if (_queue.Reader.TryRead(out var next))
                    {
                        if (next.Key == first.Key && rows + next.Rows <= _maxBatchSize && !next.CancellationToken.IsCancellationRequested)
                        {
                            batch.Add(next);
                            rows += next.Rows;
                        }
                        else
                        {
                            _carried.Enqueue(next);
                        }

                        continue;
                    }

                    // Idle: go now. Busy: wait a little for company, up to the deadline.
                    var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                    if (Volatile.Read(ref _executing) == 0 || remaining <= TimeSpan.Zero)
                    {
                        break;
                    }

                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                    wait.CancelAfter(remaining);
                    try
                    {
                        await _queue.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
                    {
                        break;
                    }
                }

                await _slots.WaitAsync(_stopping.Token).ConfigureAwait(false);
                Interlocked.Increment(ref _executing);
                var runs = batch.ToArray();
                batch.Clear();
                Interlocked.Add(ref _waiting, -runs.Length);
                _ = Task.Run(() => Execute(runs));
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            FailRemaining(batch);
        }
    }

    private bool TryTake(out PendingRun run)
    {
        if (_carried.TryDequeue(out run!))
        {
            return true;
        }

        return _queue.Reader.TryRead(out run!);
    }

    private void Execute(PendingRun[] runs)
    {
        try
        {
            var dispatched = Stopwatch.GetTimestamp();
            foreach (var run in runs)
            {
                _observer.Queued(Stopwatch.GetElapsedTime(run.EnqueuedAt, dispatched));
            }

            if (runs.Length == 1)
            {
                RunAlone(runs[0]);
                return;
            }

            IReadOnlyList<NamedTensor> merged;
            var started = Stopwatch.GetTimestamp();
            try
            {
                merged = _model.RunValidated(BatchTensors.Concatenate(runs.Select(r => r.Inputs).ToArray()), runs[0].Outputs, CancellationToken.None);
            }
            catch (Exception ex) when (ex is InferenceRunException or InferenceInputException)
            {
                // One request may be the cause: give each its own run so the others still succeed.
                foreach (var run in runs)
                {
                    RunAlone(run);
                }

                return;
            }

            var rowsTotal = runs.Sum(r => r.Rows);
            _observer.Executed(runs.Length, rowsTotal, Stopwatch.GetElapsedTime(started));
            var split = BatchTensors.Split(merged, runs.Select(r => r.Rows).ToArray());
            if (split is null)
            {
                foreach (var run in runs)
                {
                    RunAlone(run);
                }

                return;
            }

            for (var i = 0; i < runs.Length; i++)
            {
                runs[i].Completion.TrySetResult(split[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var run in runs)
            {
                run.Completion.TrySetException(ex);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _executing);
            _slots.Release();
        }
    }

    private void RunAlone(PendingRun run)
    {
        try
        {
            run.Completion.TrySetResult(RunOne(run.Inputs, run.Outputs, run.Rows, run.CancellationToken));
        }
        catch (OperationCanceledException) when (run.CancellationToken.IsCancellationRequested)
        {
            run.Completion.TrySetCanceled(run.CancellationToken);
        }
        catch (Exception ex)
        {
            run.Completion.TrySetException(ex);
        }
    }

    /// <summary>One request in a run of its own, timed for the observer.</summary>
    private IReadOnlyList<NamedTensor> RunOne(IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string>? outputs, long rows, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = _model.RunValidated(inputs, outputs, cancellationToken);
        _observer.Executed(1, rows, Stopwatch.GetElapsedTime(started));
        return result;
    }

    // Retryable: the next request finds the version loaded again (or its successor).
    private ServingException Unloaded() =>
        new(503, $"Model '{_model.DisplayName}' was unloaded while the request waited; try again.");

    private void FailRemaining(List<PendingRun> batch)
    {
        var error = Unloaded();
        foreach (var run in batch)
        {
            run.Completion.TrySetException(error);
        }

        while (_carried.TryDequeue(out var carried))
        {
            carried.Completion.TrySetException(error);
        }

        while (_queue.Reader.TryRead(out var queued))
        {
            queued.Completion.TrySetException(error);
        }
    }

    /// <summary>Stops taking requests, fails the queued ones, and waits for runs in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        while (Volatile.Read(ref _executing) > 0)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        _stopping.Dispose();
        _slots.Dispose();
    }

    private sealed class PendingRun(
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<string>? outputs,
        string key,
        long rows,
        CancellationToken cancellationToken,
        long enqueuedAt)
    {
        public IReadOnlyList<NamedTensor> Inputs { get; } = inputs;
        public IReadOnlyList<string>? Outputs { get; } = outputs;
        public string Key { get; } = key;
        public long Rows { get; } = rows;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public long EnqueuedAt { get; } = enqueuedAt;
        public TaskCompletionSource<IReadOnlyList<NamedTensor>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
