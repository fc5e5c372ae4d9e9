namespace ModelFunctions.Core.Tests;

/// <summary>Paths of the models built by tests/models/make_models.py, copied next to the test binaries.</summary>
internal static class TestModels
{
    public static string Folder { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "models");

    public static string Path(string file) => System.IO.Path.Combine(Folder, file);

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path(file));
}
