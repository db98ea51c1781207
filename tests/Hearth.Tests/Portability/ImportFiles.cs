using System.Text;
using Hearth.Portability;

namespace Hearth.Tests.Portability;

/// <summary>Runs a format's reader over an export held in a string, as the import would over a file.</summary>
static class ImportFiles
{
    public static List<ImportRecord> Read(XmlImportFormat format, string xml)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        using var reader = ImportXml.Open(stream);
        return format.Read(reader).ToList();
    }

    /// <summary>Reads until the reader fails, keeping what came before, so a test can say nothing half-read slipped out unflagged.</summary>
    public static (List<ImportRecord> Records, ImportFileException? Error) ReadUntilError(XmlImportFormat format, string xml)
    {
        var records = new List<ImportRecord>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        using var reader = ImportXml.Open(stream);
        try
        {
            foreach (var record in format.Read(reader))
                records.Add(record);
            return (records, null);
        }
        catch (ImportFileException e)
        {
            return (records, e);
        }
    }

    public static DateTime Utc(int year, int month, int day, int hour, int minute, int second) =>
        new(year, month, day, hour, minute, second, DateTimeKind.Utc);

    /// <summary>A DTD that would expand to gigabytes if any entity were expanded.</summary>
    public const string BillionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        """;
}
