using ModelFunctions.Core.Storage;
using ModelFunctions.Core.Tests.Storage;

namespace ModelFunctions.Core.Tests.Registry;

/// <summary>The registration contract on Azure Blob Storage's REST API, against the shared Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzuriteRegistrarTests(AzuriteFixture azurite) : RegistrarContractTests
{
    private protected override IBlobStore CreateStore() => azurite.CreateStore();
}
