namespace ModelFunctions.Server.Tests.Support;

/// <summary>Paths of the models built by tests/models/make_models.py, copied next to the test binaries.</summary>
internal static class ServerTestModels
{
    public static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "models", file);

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path(file));
}
