using ModelFunctions.Core.Onnx;

namespace ModelFunctions.Core.Tests.Onnx;

public sealed class ExternalDataLocationTests
{
    [Theory]
    [InlineData("weights.bin")]
    [InlineData("data/weights.bin")]
    [InlineData("./weights.bin")]
    [InlineData("a..b.bin")]
    [InlineData("..weights")]
    [InlineData("sub/.hidden/w.bin")]
    public void EscapesFolder_RelativePathInsideTheFolder_IsFalse(string location)
    {
        Assert.False(ExternalDataLocation.EscapesFolder(location));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("..")]
    [InlineData("../weights.bin")]
    [InlineData("data/../../weights.bin")]
    [InlineData("data/..")]
    [InlineData("/etc/passwd")]
    [InlineData("\\\\server\\share\\w.bin")]
    [InlineData("data\\w.bin")]
    [InlineData("C:/weights.bin")]
    [InlineData("c:weights.bin")]
    [InlineData("file:///etc/passwd")]
    [InlineData("w.bin\0.txt")]
    [InlineData("data/.../w.bin")]
    [InlineData("data/.. /w.bin")]
    public void EscapesFolder_AbsoluteParentDriveOrMalformedPath_IsTrue(string? location)
    {
        Assert.True(ExternalDataLocation.EscapesFolder(location));
    }
}
