using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Protocol;

namespace ModelFunctions.Core.Tests.Protocol;

/// <summary>Shared helpers: real models, request bodies, and response parsing.</summary>
internal static class ProtocolTestKit
{
    public static OnnxModel Load(string file) =>
        new OnnxRuntimeEngine(Options.Create(new OnnxRuntimeOptions()), NullLogger<OnnxRuntimeEngine>.Instance)
            .Load(TestModels.Bytes(file), file);

    public static InferenceRequest Read(string json, ProtocolLimits? limits = null) =>
        V2RequestReader.Read(Encoding.UTF8.GetBytes(json), null, limits ?? new ProtocolLimits());

    public static ProtocolException ReadFails(string json, ProtocolLimits? limits = null) =>
        Assert.Throws<ProtocolException>(() => Read(json, limits));

    /// <summary>Writes a response and splits it into its JSON part and binary tail.</summary>
    public static (JsonDocument Json, byte[] Tail, int? HeaderLength) Write(InferenceResponse response, InferenceRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var headerLength = V2ResponseWriter.Write(buffer, response, request);
        var bytes = buffer.WrittenSpan.ToArray();
        var jsonLength = headerLength ?? bytes.Length;
        return (JsonDocument.Parse(bytes.AsMemory(0, jsonLength)), bytes[jsonLength..], headerLength);
    }

    /// <summary>Builds a binary-extension body: each tensor's bytes after a JSON header naming its size.</summary>
    public static (byte[] Body, int HeaderLength) BinaryBody(IReadOnlyList<NamedTensor> inputs, string extraRequestFields = "")
    {
        var tail = new MemoryStream();
        var header = new StringBuilder("{").Append(extraRequestFields).Append("\"inputs\":[");
        for (var i = 0; i < inputs.Count; i++)
        {
            var bytes = BinaryOf(inputs[i]);
            tail.Write(bytes);
            header.Append(i == 0 ? "" : ",")
                .Append($"{{\"name\":\"{inputs[i].Name}\",\"datatype\":\"{inputs[i].DataType.ToProtocolName()}\",")
                .Append($"\"shape\":[{string.Join(",", inputs[i].Shape)}],\"parameters\":{{\"binary_data_size\":{bytes.Length}}}}}");
        }

        header.Append("]}");
        var json = Encoding.UTF8.GetBytes(header.ToString());
        return ([.. json, .. tail.ToArray()], json.Length);
    }

    /// <summary>The binary form of a tensor, built here independently of the code under test.</summary>
    public static byte[] BinaryOf(NamedTensor tensor)
    {
        if (tensor.DataType != TensorDataType.Bytes)
        {
            return tensor.Data.ToArray();
        }

        var stream = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var element in tensor.Strings!)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)element.Length);
            stream.Write(length);
            stream.Write(element.Span);
        }

        return stream.ToArray();
    }

    public static NamedTensor Find(IReadOnlyList<NamedTensor> tensors, string name) =>
        tensors.Single(t => t.Name == name);

    public static void AssertSameValues(NamedTensor expected, NamedTensor actual)
    {
        Assert.Equal(expected.DataType, actual.DataType);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(BinaryOf(expected), BinaryOf(actual));
    }
}
