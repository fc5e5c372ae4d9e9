using System.Runtime.InteropServices;
using static ModelFunctions.Core.Tests.Onnx.ProtoBytes;

namespace ModelFunctions.Core.Tests.Registry;

/// <summary>
/// Writes a valid ONNX model of about the requested size: y = x + ReduceSum(W), x and y float [batch, 4],
/// W a float initializer holding nearly all of the bytes.
/// </summary>
internal static class LargeModelFile
{
    public static void Write(string path, long approximateBytes)
    {
        var count = (int)(approximateBytes / sizeof(float));
        var weights = new float[count];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (i % 1000) * 1e-6f;
        }

        byte[] tensor =
        [
            .. VarintField(1, (ulong)count),
            .. VarintField(2, 1),
            .. String(8, "W"),
            .. Message(9, MemoryMarshal.AsBytes(weights.AsSpan()).ToArray()),
        ];
        byte[] reduce = [.. String(1, "W"), .. String(2, "s"), .. String(4, "ReduceSum"), .. Message(5, [.. String(1, "keepdims"), .. VarintField(3, 0), .. VarintField(20, 2)])];
        byte[] add = [.. String(1, "x"), .. String(1, "s"), .. String(2, "y"), .. String(4, "Add")];
        byte[] graph =
        [
            .. Message(1, reduce),
            .. Message(1, add),
            .. String(2, "large"),
            .. Message(5, tensor),
            .. Message(11, FloatMatrix("x")),
            .. Message(12, FloatMatrix("y")),
        ];
        File.WriteAllBytes(path, Model(graph));
    }

    private static byte[] FloatMatrix(string name)
    {
        byte[] shape = [.. Message(1, String(2, "batch")), .. Message(1, VarintField(1, 4))];
        byte[] tensorType = [.. VarintField(1, 1), .. Message(2, shape)];
        return [.. String(1, name), .. Message(2, Message(1, tensorType))];
    }
}
