using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Tests.Inference;

public sealed class OnnxModelLifetimeTests
{
    private static readonly float[] Row = [5.1f, 3.5f, 1.4f, 0.2f];

    [Fact]
    public async Task Run_ConcurrentCallsOnOneSession_AllGetTheirOwnResults()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("mlp.onnx"), "mlp");
        var inputs = Enumerable.Range(0, 16)
            .Select(k => Enumerable.Range(0, 256).Select(i => (float)Math.Sin(i * (k + 1) * 0.01)).ToArray())
            .ToArray();
        var expected = inputs.Select(x => RunMlp(model, x)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => (Index: i % 16, Y: RunMlp(model, inputs[i % 16])))));

        Assert.All(results, r => Assert.Equal(expected[r.Index], r.Y));
    }

    [Fact]
    public async Task Dispose_WhileRunsAreInFlight_LetsThemFinishAndRefusesNewOnes()
    {
        var model = EngineFactory.Create().Load(TestModels.Bytes("mlp.onnx"), "mlp");
        var x = new float[256 * 512];
        using var started = new ManualResetEventSlim();
        var running = Task.Run(() =>
        {
            started.Set();
            float[]? last = null;
            for (var i = 0; i < 20; i++)
            {
                last = model.Run([NamedTensor.FromArray("x", TensorDataType.Float32, [512, 256], x)], null, CancellationToken.None)[0].AsSpan<float>().ToArray();
            }

            return last;
        });
        started.Wait();
        await Task.Delay(20);

        model.Dispose();

        // Either the loop finished before Dispose, or its next Run is refused: never a crash or a torn result.
        try
        {
            Assert.Equal(5120, (await running)!.Length);
        }
        catch (ObjectDisposedException)
        {
        }

        Assert.Throws<ObjectDisposedException>(() => RunMlp(model, new float[256]));
    }

    [Fact]
    public void Run_CancelledToken_ThrowsOperationCanceled()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("iris.onnx"), "iris");
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => model.Run([Iris(1)], null, cts.Token));
    }

    [Fact]
    public async Task Run_TerminatedMidRun_LeavesNoTerminatedOptionsForTheRunsAfterIt()
    {
        // Run options are pooled per session; a run cancelled while ONNX Runtime works (terminate flag set on its
        // options) must not hand those options to a later run, which would then fail at once.
        using var model = EngineFactory.Create().Load(TestModels.Bytes("mlp.onnx"), "mlp");
        var large = NamedTensor.FromArray("x", TensorDataType.Float32, [4096, 256], new float[4096 * 256]);
        var expected = RunMlp(model, Enumerable.Range(0, 256).Select(i => i * 0.01f).ToArray());
        var cancelled = 0;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var cts = new CancellationTokenSource();
            var run = Task.Run(() => model.Run([large], null, cts.Token));
            await Task.Delay(1 + (attempt % 3));
            await cts.CancelAsync();
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
                cancelled++;
            }

            var after = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => RunMlp(model, Enumerable.Range(0, 256).Select(i => i * 0.01f).ToArray()))));
            Assert.All(after, y => Assert.Equal(expected, y));
        }

        // Timing decides how many runs were caught in flight; at least one must have been, or the test proves nothing.
        Assert.True(cancelled > 0, "no run was cancelled in flight");
    }

    [Fact]
    public void Run_BadInputs_FailWithMessagesNamingTheInput()
    {
        using var model = EngineFactory.Create().Load(TestModels.Bytes("iris.onnx"), "iris");

        AssertInputError(model, [NamedTensor.FromArray("petals", TensorDataType.Float32, [1, 4], Row)], "petals", "Unknown input");
        AssertInputError(model, [], "features", "Missing input");
        AssertInputError(model, [NamedTensor.FromArray("features", TensorDataType.Float64, [1, 4], new double[4])], "features", "datatype FP64");
        AssertInputError(model, [NamedTensor.FromArray("features", TensorDataType.Float32, [1, 5], new float[5])], "features", "shape [1, 5]");
        AssertInputError(model, [NamedTensor.FromArray("features", TensorDataType.Float32, [2, 4], Row)], "features", "needs 8");
        AssertInputError(model, [Iris(1), Iris(1)], "features", "more than once");
        var error = Assert.Throws<InferenceInputException>(() => model.Run([Iris(1)], ["nope"], CancellationToken.None));
        Assert.Equal("nope", error.TensorName);

        // The session is not poisoned by bad calls.
        Assert.Equal(2, RunIris(model).Count);
    }

    private static void AssertInputError(OnnxModel model, NamedTensor[] inputs, string name, string fragment)
    {
        var error = Assert.Throws<InferenceInputException>(() => model.Run(inputs, null, CancellationToken.None));
        Assert.Equal(name, error.TensorName);
        Assert.Contains(fragment, error.Message);
        Assert.Contains($"'{name}'", error.Message);
    }

    private static NamedTensor Iris(int rows) =>
        NamedTensor.FromArray("features", TensorDataType.Float32, [rows, 4], Enumerable.Repeat(Row, rows).SelectMany(r => r).ToArray());

    private static IReadOnlyList<NamedTensor> RunIris(OnnxModel model) => model.Run([Iris(1)], null, CancellationToken.None);

    private static float[] RunMlp(OnnxModel model, float[] x) =>
        model.Run([NamedTensor.FromArray("x", TensorDataType.Float32, [1, 256], x)], null, CancellationToken.None)[0].AsSpan<float>().ToArray();
}
