using System.Buffers;

namespace ModelFunctions.Core.Protocol;

/// <summary>
/// Buffers for request and response bodies: from the shared pool up to <see cref="PooledLimit"/>, plain arrays above.
/// </summary>
/// <remarks>
/// The shared pool keeps what it is given back, per size and per core, and pools arrays up to a gigabyte: a few
/// rounds of multi-MiB bodies left the server hundreds of MiB larger (378 -> 610 MiB after 5,000 malformed requests
/// with strings of 64 KiB to 4 MiB, 1.5 GiB after repeated rounds of a few MiB). Above 1 MiB a body costs a copy of
/// itself anyway, so an unpooled array that the collector takes back is as cheap and keeps memory bounded.
/// </remarks>
internal static class BodyBuffers
{
    /// <summary>Largest buffer taken from and given back to the shared pool.</summary>
    public const int PooledLimit = 1024 * 1024;

    /// <summary>A buffer of at least <paramref name="length"/> bytes.</summary>
    public static byte[] Rent(int length) =>
        length <= PooledLimit ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);

    /// <summary>Gives a buffer from <see cref="Rent"/> back (to the pool when it came from there).</summary>
    public static void Return(byte[] buffer)
    {
        if (buffer.Length <= PooledLimit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
