using ModelFunctions.Core.Protocol;

namespace ModelFunctions.Core.Tests.Protocol;

public sealed class BodyBuffersTests
{
    [Fact]
    public void BuffersUpTo1MiB_ComeFromThePool_LargerOnesAreExactAndUnpooled()
    {
        // The shared pool hands out power-of-two sizes; above the limit the array is exactly as asked, and a
        // returned one is not handed out again.
        var small = BodyBuffers.Rent(1000);
        Assert.Equal(1024, small.Length);
        BodyBuffers.Return(small);

        var large = BodyBuffers.Rent((4 * 1024 * 1024) + 1);
        Assert.Equal((4 * 1024 * 1024) + 1, large.Length);
        BodyBuffers.Return(large);
        Assert.NotSame(large, BodyBuffers.Rent((4 * 1024 * 1024) + 1));
    }
}
