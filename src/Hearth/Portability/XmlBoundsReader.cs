using System.Buffers;

namespace Hearth.Portability;

/// <summary>
/// Reads through to the file's characters and stops it where .NET's XML reader would hold too much. The reader streams
/// text, but it holds a whole tag (every attribute), a whole processing instruction or declaration, a whole CDATA
/// section, a whole character or entity reference and a node for every open element before it returns any of them,
/// so one of these a gigabyte long, or a file of nothing but opening tags, would each cost a node gigabytes. This counts
/// them on the characters before the reader sees them (it reads them from the same <see cref="XmlFileEncoding"/>).
/// </summary>
/// <remarks>
/// It follows only what decides where markup begins and ends: '&lt;', quotes inside a tag, and the ends of comments,
/// CDATA sections, processing instructions and references. It also notes where the first declaration ("&lt;!DOCTYPE")
/// is, since the reader's refusal of one says no place.
/// </remarks>
public sealed class XmlBoundsReader(TextReader inner) : TextReader
{
    /// <summary>The longest tag, processing instruction or declaration: any real export's are a few hundred characters.</summary>
    public const int MaxTagChars = 100_000;

    /// <summary>
    /// The longest CDATA section. The fields Hearth reads stop at <see cref="ImportReading.MaxFieldChars"/> with their
    /// own message; this is for the sections it passes over (a WordPress post's content, with a pasted image, say).
    /// </summary>
    public const int MaxCDataChars = 16_000_000;

    /// <summary>The longest character or entity reference ("&amp;#x1F642;" is ten).</summary>
    public const int MaxReferenceChars = 64;

    /// <summary>How deep elements may nest: the formats Hearth reads need six.</summary>
    public const int MaxDepth = 256;

    enum State { Text, Reference, Open, Bang, Tag, EndTag, Declaration, Comment, CData, Instruction }

    // Each stops at a character not decoded too (XmlFileEncoding.NotDecoded), wherever it is.
    static readonly SearchValues<char> InText = SearchValues.Create("<&\r\uFFFF"), InCData = SearchValues.Create("]\r\uFFFF"),
        InComment = SearchValues.Create("-\r\uFFFF"), InTag = SearchValues.Create("\"'>\r\uFFFF"), InDoubleQuotes = SearchValues.Create("\"\r\uFFFF"),
        InSingleQuotes = SearchValues.Create("'\r\uFFFF");

    State _state = State.Text;
    long _length;           // characters of the markup being read
    string? _opening;       // after "<!": the rest of "<!--" or "<![CDATA[" it may be
    int _matched;           // characters of that opening matched, or of a closing "-->", "]]>", "?>"
    char _quote;            // the quote a tag's attribute value is inside, or 0
    char _previous;         // the character before this one in a tag, to tell "/>" from ">"
    int _depth;

    int _line = 1, _column;             // where the reader is, in lines and characters (UTF-16 code units, as the reader counts)
    bool _afterReturn;                  // "\r\n" is one line end, as a lone "\r" is
    int _startLine, _startColumn;       // where the markup being read began

    /// <summary>The encoding the file is read in, for messages.</summary>
    public string EncodingName => inner is StreamReader reader ? reader.CurrentEncoding.WebName.ToUpperInvariant() : "characters";

    /// <summary>The line of the last character read.</summary>
    public int Line => _line;

    /// <summary>Where the first declaration ("&lt;!DOCTYPE ...") began, or (0, 0).</summary>
    public (int Line, int Position) Declaration { get; private set; }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        var read = inner.Read(buffer);
        Follow(buffer[..read]);
        return read;
    }

    public override int Read()
    {
        var c = inner.Read();
        if (c >= 0)
        {
            Step((char)c);
        }
        return c;
    }

    public override int Peek() => inner.Peek();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// Text and the inside of CDATA sections and tags are nearly all of a file: runs of them up to the next character
    /// that matters are passed at once rather than stepped through.
    /// </summary>
    void Follow(ReadOnlySpan<char> chars)
    {
        while (!chars.IsEmpty)
        {
            var run = _state switch
            {
                State.Text => chars.IndexOfAny(InText),
                State.CData when _matched == 0 => chars.IndexOfAny(InCData),
                State.Comment when _matched == 0 => chars.IndexOfAny(InComment),
                State.Tag or State.EndTag or State.Declaration => chars.IndexOfAny(_quote switch
                {
                    '"' => InDoubleQuotes,
                    '\'' => InSingleQuotes,
                    _ => InTag,
                }),
                _ => 0,
            };
            if (run == 0)
            {
                Step(chars[0]);
                chars = chars[1..];
                continue;
            }
            var passed = run < 0 ? chars : chars[..run];
            Pass(passed);
            chars = chars[passed.Length..];
        }
    }

    /// <summary>A run with no '\r' and nothing else that changes the state.</summary>
    void Pass(ReadOnlySpan<char> run)
    {
        var newline = run.LastIndexOf('\n');
        if (newline >= 0)
        {
            _line += run.Count('\n') - (_afterReturn && run[0] == '\n' ? 1 : 0);
            _column = run.Length - newline - 1;
        }
        else
        {
            _column += run.Length;
        }
        _afterReturn = false;
        _length += run.Length;
        switch (_state)
        {
            case State.Text:
                CheckOutside();
                break;
            case State.CData:
                Check(MaxCDataChars, "A CDATA section is longer than {0:N0} characters");
                break;
            case State.Tag or State.EndTag or State.Declaration:
                _previous = run[^1];
                Check(MaxTagChars, "A tag is longer than {0:N0} characters");
                break;
        }
    }

    void Step(char c)
    {
        if (c == XmlFileEncoding.NotDecoded)
        {
            throw new ImportFileException($"The file has bytes that are not valid {EncodingName}", _line, _column + 1);
        }
        if (c == '\r' || (c == '\n' && !_afterReturn))
        {
            _line++;
            _column = 0;
        }
        else if (c != '\n')
        {
            _column++;
        }
        _afterReturn = c == '\r';
        _length++;
        switch (_state)
        {
            case State.Text:
                if (c is '<' or '&')
                {
                    _state = c == '<' ? State.Open : State.Reference;
                    (_startLine, _startColumn, _length) = (_line, _column, 1);
                }
                else
                {
                    CheckOutside();
                }
                break;
            case State.Reference:
                if (c == ';')
                {
                    ToText();
                }
                else
                {
                    Check(MaxReferenceChars, "A character or entity reference is longer than {0:N0} characters");
                }
                break;
            case State.Open:
                (_state, _quote, _previous) = c switch
                {
                    '!' => (State.Bang, '\0', '\0'),
                    '?' => (State.Instruction, '\0', '\0'),
                    '/' => (State.EndTag, '\0', '\0'),
                    _ => (State.Tag, '\0', c),
                };
                (_opening, _matched) = (null, 0);
                break;
            case State.Bang:
                // "<!--" opens a comment and "<![CDATA[" a section; anything else is a declaration (a DTD, refused).
                _opening ??= c == '-' ? "--" : c == '[' ? "[CDATA[" : "";
                if (_matched < _opening.Length && c == _opening[_matched])
                {
                    if (++_matched == _opening.Length)
                    {
                        (_state, _matched) = (_opening == "--" ? State.Comment : State.CData, 0);
                    }
                }
                else
                {
                    _state = State.Declaration;
                    if (Declaration == default)
                    {
                        Declaration = (_startLine, _startColumn);
                    }
                    TagCharacter(c);
                }
                break;
            case State.Tag:
            case State.EndTag:
            case State.Declaration:
                TagCharacter(c);
                break;
            case State.Comment:
                // The reader passes over a comment without holding it: only its end matters.
                if (c == '>' && _matched >= 2) ToText();
                _matched = c == '-' ? _matched + 1 : 0;
                break;
            case State.Instruction:
                // The reader holds an instruction's target, and the whole of the XML declaration, even when it ignores them.
                if (c == '>' && _matched >= 1)
                {
                    ToText();
                }
                else
                {
                    Check(MaxTagChars, "A processing instruction is longer than {0:N0} characters");
                }
                _matched = c == '?' ? 1 : 0;
                break;
            case State.CData:
                if (c == '>' && _matched >= 2)
                {
                    ToText();
                }
                else
                {
                    Check(MaxCDataChars, "A CDATA section is longer than {0:N0} characters");
                }
                _matched = c == ']' ? _matched + 1 : 0;
                break;
        }
    }

    void TagCharacter(char c)
    {
        if (_quote != '\0')
        {
            if (c == _quote) _quote = '\0';
        }
        else if (c is '"' or '\'')
        {
            _quote = c;
        }
        else if (c == '>')
        {
            if (_state == State.EndTag)
            {
                _depth = Math.Max(0, _depth - 1);
            }
            else if (_state == State.Tag && _previous != '/' && ++_depth > MaxDepth)
            {
                throw new ImportFileException($"Elements are nested more than {MaxDepth} deep", _startLine, _startColumn);
            }
            ToText();
            return;
        }
        _previous = c;
        Check(MaxTagChars, "A tag is longer than {0:N0} characters");
    }

    /// <summary>
    /// Text begins after each tag, section, comment, instruction or reference, so its length is its own; its place is
    /// where it began.
    /// </summary>
    void ToText() => (_state, _length, _startLine, _startColumn) = (State.Text, 0, _line, _column + 1);

    /// <summary>
    /// Within elements the reader streams text, but before the first and after the last it gathers whitespace whole
    /// (anything else there it refuses at once).
    /// </summary>
    void CheckOutside()
    {
        if (_depth == 0)
        {
            Check(MaxTagChars, "The file has more than {0:N0} characters between elements outside its root element");
        }
    }

    void Check(int most, string message)
    {
        if (_length > most)
        {
            throw new ImportFileException(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, most), _startLine, _startColumn);
        }
    }
}
