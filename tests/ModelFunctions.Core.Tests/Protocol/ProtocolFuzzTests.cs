using System.Text;
using ModelFunctions.Core.Inference;
using ModelFunctions.Core.Protocol;

namespace ModelFunctions.Core.Tests.Protocol;

/// <summary>Random mutations of valid bodies must end in a result or a ProtocolException, never another exception.</summary>
public sealed class ProtocolFuzzTests
{
    private const int Iterations = 3000;
    private static readonly byte[] Interesting = Encoding.ASCII.GetBytes("[]{}\",:-0123456789.eE \\tfnu");

    [Fact]
    public void MutatedJsonBodies_OnlyEverFailWithProtocolException()
    {
        var valid = Encoding.UTF8.GetBytes(IdentityRequests.All(nested: true, "\"id\": \"f\", \"parameters\": {\"binary_data_output\": false}, \"outputs\": [{\"name\": \"out_fp32\"}], "));
        var outcome = Run(valid, null, seed: 1);

        Assert.True(outcome.Rejected > Iterations / 2, $"Only {outcome.Rejected} of {Iterations} mutations were rejected.");
        Assert.True(outcome.Accepted > 0, "No mutation was accepted; the mutations are too destructive to test acceptance paths.");
    }

    [Fact]
    public void MutatedBinaryBodies_OnlyEverFailWithProtocolException()
    {
        var inputs = ProtocolTestKit.Read(IdentityRequests.All(nested: false)).Inputs;
        var (valid, headerLength) = ProtocolTestKit.BinaryBody(inputs);
        var outcome = Run(valid, headerLength, seed: 2);

        Assert.True(outcome.Rejected > Iterations / 2, $"Only {outcome.Rejected} of {Iterations} mutations were rejected.");
    }

    [Fact]
    public void MutatedV1Bodies_OnlyEverFailWithProtocolException()
    {
        using var model = ProtocolTestKit.Load("multi_input.onnx");
        var valid = Encoding.UTF8.GetBytes("""
            {"instances": [{"x": [1, 2, 3], "scale": [2.0], "offset": [10, 20, 30], "mask": [true, false, true]},
                           {"x": [4, 5, 6], "scale": [2.0], "offset": [1, 1, 1], "mask": [false, true, true]}]}
            """);
        var random = new Random(3);
        var limits = new ProtocolLimits();
        for (var i = 0; i < Iterations; i++)
        {
            var body = Mutate(valid, random);
            try
            {
                V1PredictCodec.ReadRequest(body, model.Signature, limits);
            }
            catch (ProtocolException)
            {
            }
        }
    }

    private static (int Accepted, int Rejected) Run(byte[] valid, int? headerLength, int seed)
    {
        var random = new Random(seed);
        var limits = new ProtocolLimits { MaxNestingDepth = 8 };
        var accepted = 0;
        var rejected = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var body = Mutate(valid, random);
            var header = headerLength;
            if (header is not null && random.Next(4) == 0)
            {
                header += random.Next(-3, 4);
            }

            try
            {
                var request = V2RequestReader.Read(body, header, limits);
                foreach (var input in request.Inputs)
                {
                    // Whatever is accepted must be a consistent tensor.
                    Assert.Equal(input.ElementCount, input.DataType == TensorDataType.Bytes
                        ? input.Strings!.Count
                        : input.Data.Length / input.DataType.ElementSize());
                }

                accepted++;
            }
            catch (ProtocolException ex)
            {
                Assert.InRange(ex.StatusCode, 400, 499);
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                rejected++;
            }
        }

        return (accepted, rejected);
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var body = valid.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && body.Count > 0; e++)
        {
            var at = random.Next(body.Count);
            switch (random.Next(6))
            {
                case 0:
                    body[at] = (byte)random.Next(256);
                    break;
                case 1:
                    body[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    body.RemoveRange(at, Math.Min(random.Next(1, 8), body.Count - at));
                    break;
                case 3:
                    body.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 4:
                    body.RemoveRange(at, body.Count - at);
                    break;
                default:
                    var length = Math.Min(random.Next(1, 32), body.Count - at);
                    body.InsertRange(random.Next(body.Count), body.GetRange(at, length));
                    break;
            }
        }

        return [.. body];
    }
}
