using System.Xml;

namespace Hearth.Portability;

/// <summary>
/// The XML reader keeps every distinct element name, attribute name, prefix and namespace it meets until it is closed:
/// a file of a million made-up names, each within the longest tag, would keep them all. A real export uses a few dozen.
/// </summary>
sealed class BoundedNameTable : XmlNameTable
{
    public const int MaxNames = 10_000;
    public const int MaxChars = 1_000_000;

    readonly NameTable _names = new();
    int _count;
    long _chars;

    public override string Add(char[] array, int offset, int length) =>
        _names.Get(array, offset, length) ?? Added(_names.Add(array, offset, length));

    public override string Add(string array) => _names.Get(array) ?? Added(_names.Add(array));

    public override string? Get(char[] array, int offset, int length) => _names.Get(array, offset, length);

    public override string? Get(string array) => _names.Get(array);

    string Added(string name)
    {
        if (++_count > MaxNames || (_chars += name.Length) > MaxChars)
        {
            throw new ImportFileException($"The file names more than {MaxNames:N0} different elements, attributes and namespaces, or more than {MaxChars:N0} characters of them", 0, 0);
        }
        return name;
    }
}
