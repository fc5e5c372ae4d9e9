using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using ModelFunctions.Core.Storage;

namespace ModelFunctions.Core.Tests.Storage;

public sealed class BlobStoreFactoryTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcy1mb3ItdGVzdHMtb25seQ==";

    private static IBlobStore Create(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return BlobStoreFactory.Create(configuration, NullLoggerFactory.Instance);
    }

    [Fact]
    public void NothingConfigured_IsTheModelstoreFolder()
    {
        var store = Assert.IsType<FileSystemBlobStore>(Create());

        Assert.Equal(Path.GetFullPath("./modelstore"), store.Root);
    }

    [Fact]
    public void FolderPaths_AbsoluteAndRelative_GiveFolderStores()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "mf-factory");

        var a = Assert.IsType<FileSystemBlobStore>(Create((BlobStoreFactory.ConfigurationKey, absolute)));
        var r = Assert.IsType<FileSystemBlobStore>(Create((BlobStoreFactory.ConfigurationKey, "data/models")));

        Assert.Equal(absolute, a.Root);
        Assert.Equal(Path.GetFullPath("data/models"), r.Root);
        Assert.Contains(absolute, a.Description);
    }

    [Fact]
    public void EnvironmentVariableSpelling_IsRead()
    {
        var name = "ModelFunctions__Store";
        var folder = Path.Combine(Path.GetTempPath(), "mf-env-" + Guid.NewGuid().ToString("N"));
        Environment.SetEnvironmentVariable(name, folder);
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();

            var store = Assert.IsType<FileSystemBlobStore>(BlobStoreFactory.Create(configuration, NullLoggerFactory.Instance));

            Assert.Equal(folder, store.Root);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void ConnectionStrings_GiveAzureStoresWhoseDescriptionHasNoSecret()
    {
        var dev = Create((BlobStoreFactory.ConfigurationKey, "UseDevelopmentStorage=true"));
        var keyed = Create((BlobStoreFactory.ConfigurationKey, $"DefaultEndpointsProtocol=https;AccountName=mfstore01;AccountKey={Key};EndpointSuffix=core.windows.net"));
        var sas = Create((BlobStoreFactory.ConfigurationKey, "BlobEndpoint=https://mfstore01.blob.core.windows.net/;SharedAccessSignature=sv=2025-11-05&sig=SECRETSIG"));

        Assert.IsType<AzureBlobStore>(dev);
        Assert.Equal("Azure Blob Storage at http://127.0.0.1:10000/devstoreaccount1 (shared key)", dev.Description);
        Assert.Equal("Azure Blob Storage at https://mfstore01.blob.core.windows.net (shared key)", keyed.Description);
        Assert.Equal("Azure Blob Storage at https://mfstore01.blob.core.windows.net (SAS)", sas.Description);
        Assert.DoesNotContain(Key, keyed.Description);
    }

    [Fact]
    public void ServiceUriAndIdentitySections_GiveTokenAuthorizedStores()
    {
        var plain = Create((BlobStoreFactory.ConfigurationKey, "https://mfstore01.blob.core.windows.net"));
        var byUri = Create(
            (BlobStoreFactory.ConfigurationKey + ":blobServiceUri", "https://mfstore02.blob.core.windows.net"),
            (BlobStoreFactory.ConfigurationKey + ":credential", "managedidentity"),
            (BlobStoreFactory.ConfigurationKey + ":clientId", "00000000-0000-0000-0000-000000000001"));
        var byAccount = Create((BlobStoreFactory.ConfigurationKey + ":accountName", "mfstore03"));

        Assert.Equal("Azure Blob Storage at https://mfstore01.blob.core.windows.net (Microsoft Entra ID)", plain.Description);
        Assert.Equal("Azure Blob Storage at https://mfstore02.blob.core.windows.net (Microsoft Entra ID)", byUri.Description);
        Assert.Equal("Azure Blob Storage at https://mfstore03.blob.core.windows.net (Microsoft Entra ID)", byAccount.Description);
    }

    [Fact]
    public void SasUri_GivesASasStoreWhoseDescriptionHasNoSignature()
    {
        var store = Create((BlobStoreFactory.ConfigurationKey, "https://mfstore01.blob.core.windows.net/?sv=2025-11-05&ss=b&srt=sco&sp=rl&sig=hunter2"));

        Assert.Equal("Azure Blob Storage at https://mfstore01.blob.core.windows.net (SAS)", store.Description);
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=true", true)]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=b", true)]
    [InlineData(" accountname = mfstore01 ; ACCOUNTKEY=abc;;", true)]
    [InlineData("BlobEndpoint=https://x.blob.core.windows.net;SharedAccessSignature=sv=1", true)]
    [InlineData("/var/models=old", false)]
    [InlineData("./modelstore", false)]
    [InlineData("https://x.blob.core.windows.net/?sv=1&sig=2", false)]
    public void ConnectionStrings_AreToldApartFromPathsAndUris(string value, bool expected)
    {
        Assert.Equal(expected, BlobStoreFactory.LooksLikeConnectionString(value));
    }

    [Theory]
    [InlineData("ModelFunctions:Store", "AccountName=mfstore01;AccountKey=" + Key + ";Password=hunter2", "Password")]
    [InlineData("ModelFunctions:Store", "AccountName=mfstore01;AccountKey=%%%" + Key, "keys: AccountName, AccountKey")]
    [InlineData("ModelFunctions:Store", "BlobEndpoint=not a uri;SharedAccessSignature=sig=hunter2", "keys: BlobEndpoint, SharedAccessSignature")]
    [InlineData("ModelFunctions:Store", "ftp://mfstore01.blob.core.windows.net", "http or https")]
    [InlineData("ModelFunctions:Store", "http://mfstore01.blob.core.windows.net", "https")]
    [InlineData("ModelFunctions:Store", "https://mfstore01.blob.core.windows.net/?hunter2=1", "not a SAS")]
    [InlineData("ModelFunctions:Store:blobServiceUri", "https://mfstore01.blob.core.windows.net/?sv=1&sig=hunter2", "carries no query")]
    [InlineData("ModelFunctions:Store:blobServiceUri", "not a uri", "ModelFunctions:Store:blobServiceUri")]
    [InlineData("ModelFunctions:Store:accountName", "Bad Name!", "ModelFunctions:Store:accountName")]
    [InlineData("ModelFunctions:Store:credential", "password", "neither blobServiceUri nor accountName")]
    public void BadSettings_NameTheKeyAndWhatIsAccepted_WithoutSecrets(string key, string value, string expected)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Create((key, value)));

        Assert.Contains(expected, ex.Message);
        Assert.Contains("ModelFunctions:Store", ex.Message);
        Assert.Contains("ModelFunctions__Store", ex.Message);
        Assert.Contains("Accepted:", ex.Message);
        Assert.DoesNotContain(Key, ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
    }

    [Fact]
    public void StoreClientSettings_AreValidated_NamingTheirSection()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Create(
            (BlobStoreFactory.ConfigurationKey, "UseDevelopmentStorage=true"),
            ("ModelFunctions:StoreClient:MaxParallelism", "0")));

        Assert.Contains("ModelFunctions:StoreClient", ex.Message);
        Assert.Contains("MaxParallelism", ex.Message);
    }

    [Fact]
    public void UnknownCredentialKind_IsRejected()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Create(
            (BlobStoreFactory.ConfigurationKey + ":accountName", "mfstore01"),
            (BlobStoreFactory.ConfigurationKey + ":credential", "clientsecret")));

        Assert.Contains("ModelFunctions:Store:credential", ex.Message);
        Assert.Contains("managedidentity", ex.Message);
    }
}
