using ModelFunctions.Core.Tests.Storage;

namespace ModelFunctions.Server.Tests.Support;

/// <summary>The server on Kestrel over a blob store in Azurite (started on a free port, in memory, for this fixture).</summary>
public sealed class AzuriteServerFixture : ServerFixture
{
    private readonly AzuriteFixture _azurite = new();

    protected override string StoreSetting => _azurite.ConnectionString;

    public override async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
