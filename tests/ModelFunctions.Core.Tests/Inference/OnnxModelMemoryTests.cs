using System.Diagnostics;
using ModelFunctions.Core.Inference;

namespace ModelFunctions.Core.Tests.Inference;

/// <summary>Reads the process's resident memory, so it runs alone (see <see cref="MemoryMeasurementCollection"/>).</summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class OnnxModelMemoryTests
{
    [Fact]
    public void LoadRunDispose_ThousandsOfTimes_DoesNotLeakNativeMemory()
    {
        var engine = EngineFactory.Create();
        var bytes = TestModels.Bytes("iris.onnx");
        var input = NamedTensor.FromArray("features", TensorDataType.Float32, [1, 4], new[] { 5.1f, 3.5f, 1.4f, 0.2f });
        void Cycle(int loads)
        {
            for (var i = 0; i < loads; i++)
            {
                using var model = engine.Load(bytes, "iris");
                for (var r = 0; r < 5; r++)
                {
                    model.Run([input], null, CancellationToken.None);
                }
            }
        }

        Cycle(300);
        var before = ResidentBytes();
        Cycle(3000);
        var after = ResidentBytes();

        // 3,000 loads of even a 1 KB session leaking its arena would add far more than this.
        var growthMb = (after - before) / (1024.0 * 1024.0);
        Assert.True(growthMb < 40, $"Resident memory grew by {growthMb:F1} MB over 3,000 load/run/dispose cycles.");
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
