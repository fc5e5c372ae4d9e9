using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ModelFunctions.Core.Inference;

/// <summary>
/// Moves named tensors into and out of ONNX Runtime values.
/// </summary>
internal static class OrtValues
{
    /// <summary>
    /// Creates an input value. Fixed-size data is pinned and used in place (<paramref name="pin"/> must be
    /// disposed after the value); strings are copied into a native string tensor.
    /// </summary>
    public static unsafe OrtValue Create(NamedTensor tensor, ref MemoryHandle pin)
    {
        var elementType = tensor.DataType.ToOrt();
        if (tensor.DataType == TensorDataType.Bytes)
        {
            var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape);
            try
            {
                var strings = tensor.Strings ?? [];
                for (var i = 0; i < strings.Count; i++)
                {
                    value.StringTensorSetElementAt(strings[i].Span, i);
                }

                return value;
            }
            catch
            {
                value.Dispose();
                throw;
            }
        }

        if (tensor.Data.IsEmpty)
        {
            return OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, elementType, tensor.Shape);
        }

        pin = tensor.Data.Pin();
        return OrtValue.CreateTensorValueWithData(
            OrtMemoryInfo.DefaultInstance, elementType, tensor.Shape, (IntPtr)pin.Pointer, tensor.Data.Length);
    }

    /// <summary>Copies an output value into a managed tensor.</summary>
    public static NamedTensor ToNamedTensor(string name, OrtValue value)
    {
        if (!value.IsTensor)
        {
            throw new InferenceInputException(name, $"Output '{name}' is a {value.OnnxType} at run time, not a tensor.");
        }

        var info = value.GetTensorTypeAndShape();
        if (!TensorDataTypes.TryFromOrt(info.ElementDataType, out var dataType))
        {
            throw new InferenceInputException(name, $"Output '{name}' has element type {info.ElementDataType}, which the protocol cannot carry.");
        }

        var shape = info.Shape;
        if (dataType == TensorDataType.Bytes)
        {
            var count = (int)info.ElementCount;
            var strings = new ReadOnlyMemory<byte>[count];
            for (var i = 0; i < count; i++)
            {
                strings[i] = value.GetStringElementAsSpan(i).ToArray();
            }

            return new NamedTensor(name, TensorDataType.Bytes, shape, ReadOnlyMemory<byte>.Empty, strings);
        }

        var data = info.ElementCount == 0 ? [] : value.GetTensorMutableRawData().ToArray();
        return new NamedTensor(name, dataType.Value, shape, data);
    }
}
