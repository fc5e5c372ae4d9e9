using System.Globalization;
using System.Xml;

namespace ModelFunctions.Core.Storage;

/// <summary>Reads one page of a List Blobs answer (EnumerationResults XML): its blobs and the next marker.</summary>
internal static class BlobListParser
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        XmlResolver = null,
    };

    /// <summary>Parses a page; the next marker is null on the last page.</summary>
    public static (List<BlobItem> Items, string? NextMarker) Parse(Stream xml)
    {
        var items = new List<BlobItem>();
        string? nextMarker = null;
        using var reader = XmlReader.Create(xml, Settings);
        reader.MoveToContent();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "NextMarker")
            {
                nextMarker = reader.ReadElementContentAsString();
                continue;
            }

            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Blob")
            {
                using (var blob = reader.ReadSubtree())
                {
                    items.Add(ReadBlob(blob));
                }
            }

            reader.Read();
        }

        return (items, string.IsNullOrEmpty(nextMarker) ? null : nextMarker);
    }

    private static BlobItem ReadBlob(XmlReader reader)
    {
        string? name = null;
        string? etag = null;
        long length = 0;
        var lastModified = DateTimeOffset.MinValue;
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        reader.Read();
        var baseDepth = reader.Depth;
        var section = string.Empty;
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }

            if (reader.Depth == baseDepth + 1)
            {
                section = reader.LocalName;
                if (section == "Name")
                {
                    var encoded = reader.GetAttribute("Encoded") == "true";
                    var value = reader.ReadElementContentAsString();
                    name = encoded ? Uri.UnescapeDataString(value) : value;
                    continue;
                }

                if (section is not ("Properties" or "Metadata") || reader.IsEmptyElement)
                {
                    reader.Skip();
                    continue;
                }

                reader.Read();
                continue;
            }

            if (reader.Depth == baseDepth + 2)
            {
                var local = reader.LocalName;
                var value = reader.ReadElementContentAsString();
                if (section == "Properties")
                {
                    switch (local)
                    {
                        case "Content-Length":
                            length = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                            break;
                        case "Etag":
                            etag = AzureBlobStore.QuoteETag(value);
                            break;
                        case "Last-Modified":
                            lastModified = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                            break;
                    }
                }
                else if (local != "x-ms-invalid-name")
                {
                    metadata[local] = value;
                }

                continue;
            }

            reader.Skip();
        }

        if (name is null || etag is null)
        {
            throw new BlobStoreException("List Blobs answered a blob without a name or ETag.");
        }

        return new BlobItem(name, length, etag, lastModified, metadata);
    }
}
