using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Serving;
using ModelFunctions.Core.Tests.Inference;

namespace ModelFunctions.Core.Tests.Serving;

public sealed class DynamicBatcherTests
{
    [Fact]
    public async Task ConcurrentRequests_AreMergedAndEachGetsItsOwnRows()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("mlp.onnx"), "mlp");
        var observer = new CountingObserver();
        await using var batcher = new DynamicBatcher(model, maxBatchSize: 32, TimeSpan.FromMilliseconds(5), maxQueueLength: 1024, concurrentRuns: 2, observer);
        var requests = Enumerable.Range(0, 64).Select(i => Rows(i, rows: 1 + (i % 3))).ToArray();
        var expected = requests.Select(r => model.Run([r], null, CancellationToken.None)[0].AsSpan<float>().ToArray()).ToArray();

        // A long run, on a thread of its own, holds the batcher busy while the requests arrive, so they queue
        // (an idle batcher runs a request at once on its caller's thread).
        var busy = Rows(99, rows: 4096);
        var running = Task.Factory.StartNew(
            () => batcher.RunAsync([busy], null, BatchPlan.Key(model.Signature, [busy], null)!, CancellationToken.None),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
        while (!batcher.IsExecuting && !running.IsCompleted)
        {
            await Task.Delay(1);
        }

        var results = await Task.WhenAll(requests.Select(r =>
            batcher.RunAsync([r], null, BatchPlan.Key(model.Signature, [r], null)!, CancellationToken.None)).ToArray());
        await running;

        for (var i = 0; i < requests.Length; i++)
        {
            var y = Assert.Single(results[i]);
            Assert.Equal(new long[] { requests[i].Shape[0], 10 }, y.Shape);
            Assert.Equal(expected[i], y.AsSpan<float>().ToArray(), new FloatTolerance(1e-4f));
        }

        Assert.Equal(requests.Sum(r => r.Shape[0]) + busy.Shape[0], observer.Rows);
        Assert.True(observer.Executions < requests.Length, $"{observer.Executions} runs for {requests.Length} requests: nothing was merged.");
    }

    [Fact]
    public async Task IdleBatcher_RunsEachRequestAtOnceOnTheCallersThread()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("mlp.onnx"), "mlp");
        var observer = new CountingObserver();
        // A long queue delay: a request that went through the queue would either wait for it or hop threads.
        await using var batcher = new DynamicBatcher(model, 32, TimeSpan.FromMilliseconds(200), 1024, 1, observer);

        for (var i = 0; i < 20; i++)
        {
            var input = Rows(i, rows: 2);
            var expected = model.Run([input], null, CancellationToken.None)[0].AsSpan<float>().ToArray();
            var task = batcher.RunAsync([input], null, BatchPlan.Key(model.Signature, [input], null)!, CancellationToken.None);

            Assert.True(task.IsCompletedSuccessfully, $"request {i} was queued although nothing else was running");
            Assert.Equal(expected, (await task)[0].AsSpan<float>().ToArray(), new FloatTolerance(1e-4f));
        }

        Assert.Equal(20, observer.Executions);
        Assert.Equal(40, observer.Rows);
    }

    [Fact]
    public async Task RequestsWithDifferentOutputSelections_AreNotMixed()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("iris.onnx"), "iris");
        await using var batcher = new DynamicBatcher(model, 32, TimeSpan.FromMilliseconds(5), 1024, 2, new CountingObserver());
        var input = NamedTensor.FromArray("features", TensorDataType.Float32, [1, 4], new[] { 6.7f, 3.0f, 5.6f, 2.1f });

        var tasks = Enumerable.Range(0, 40).Select(i =>
        {
            string[]? outputs = i % 2 == 0 ? ["label"] : null;
            return Task.Run(() => batcher.RunAsync([input], outputs, BatchPlan.Key(model.Signature, [input], outputs)!, CancellationToken.None));
        }).ToArray();
        var results = await Task.WhenAll(tasks);

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? ["label"] : ["probabilities", "label"], results[i].Select(o => o.Name));
            Assert.Equal(2L, results[i][^1].AsSpan<long>()[0]);
        }
    }

    [Fact]
    public async Task Dispose_FailsQueuedRequestsInsteadOfLosingThem()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("mlp.onnx"), "mlp");
        var batcher = new DynamicBatcher(model, 4, TimeSpan.FromMilliseconds(50), 1024, 1, new CountingObserver());
        var input = Rows(1, 256);
        var key = BatchPlan.Key(model.Signature, [input], null)!;
        var pending = Enumerable.Range(0, 50).Select(_ => Task.Run(() => batcher.RunAsync([input], null, key, CancellationToken.None))).ToArray();

        await batcher.DisposeAsync();

        foreach (var task in pending)
        {
            // Each one either completed with a result or failed with a retryable 503: none hangs.
            var finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.Same(task, finished);
            if (!task.IsCompletedSuccessfully)
            {
                var error = Assert.IsType<ServingException>(task.Exception?.InnerException);
                Assert.Equal(503, error.StatusCode);
            }
        }
    }

    [Fact]
    public void Plan_ModelWithFixedFirstDimension_CannotBatch()
    {
        using var multi = EngineFactory.Create().Load(TestModels.Bytes("multi_input.onnx"), "multi");
        using var mlp = EngineFactory.Create().Load(TestModels.Bytes("mlp.onnx"), "mlp");

        Assert.Contains("scale", BatchPlan.WhyNot(multi.Signature));
        Assert.Null(BatchPlan.WhyNot(mlp.Signature));
    }

    private static NamedTensor Rows(int seed, int rows) =>
        NamedTensor.FromArray("x", TensorDataType.Float32, [rows, 256], Enumerable.Range(0, rows * 256).Select(i => (float)Math.Sin((seed + 1) * 0.37 + i * 0.01)).ToArray());

    private sealed class CountingObserver : IBatchObserver
    {
        private long _executions;
        private long _rows;

        public long Executions => Interlocked.Read(ref _executions);

        public long Rows => Interlocked.Read(ref _rows);

        public void Queued(TimeSpan wait)
        {
        }

        public void Executed(int requests, long rows, TimeSpan compute)
        {
            Interlocked.Increment(ref _executions);
            Interlocked.Add(ref _rows, rows);
        }
    }
}
