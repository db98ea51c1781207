namespace Hearth.Portability;

/// <summary>
/// Reads through to the file and stops it where .NET's XML reader would hold too much. The reader streams text, but it
/// keeps a whole start tag (every attribute), a whole CDATA section and a node for every open element in memory
/// before it returns any of them, so one gigabyte-long attribute, one gigabyte-long CDATA section or a file of
/// nothing but opening tags would each cost a node gigabytes. This counts them on the bytes before the reader sees them.
/// </summary>
/// <remarks>
/// It follows only what decides where markup begins and ends ('&lt;', quotes inside a tag, the ends of comments,
/// CDATA sections and processing instructions), in the file's code units: one byte for UTF-8 and the single-byte
/// encodings, two or four for UTF-16 and UTF-32, told from the first bytes as XML's own rules do.
/// </remarks>
sealed class XmlBoundsStream(Stream inner) : Stream
{
    /// <summary>The longest tag, in bytes of the file: any real export's are a few hundred.</summary>
    public const int MaxTagBytes = 100_000;

    /// <summary>
    /// The longest CDATA section, in bytes of the file: room for a field of <see cref="ImportReading.MaxFieldChars"/>
    /// characters in any encoding, so the field's own limit is the one a real file meets, with its own message.
    /// </summary>
    public const int MaxCDataBytes = 4 * ImportReading.MaxFieldChars + 64;

    /// <summary>How deep elements may nest: the formats Hearth reads need six.</summary>
    public const int MaxDepth = 256;

    enum State { Text, Open, Bang, Tag, EndTag, Declaration, Comment, CData, Instruction }

    State _state = State.Text;
    int _unit;              // bytes per code unit, 0 until the first bytes are seen
    bool _bigEndian;
    readonly byte[] _head = new byte[4];
    int _headCount;         // the first bytes, kept until there are enough to tell the encoding
    readonly byte[] _carry = new byte[4];
    int _carried;           // bytes of a unit split across two reads

    long _length;           // bytes of the markup being read
    string? _opening;       // after "<!": the rest of "<!--" or "<![CDATA[" it may be
    int _matched;           // characters of that opening matched, or of a closing "-->", "]]>", "?>"
    int _quote;             // the quote a tag's attribute value is inside, or 0
    int _previous;          // the unit before this one in a tag, to tell "/>" from ">"
    int _depth;

    int _line = 1, _column;             // where the reader is, in lines and characters
    int _startLine, _startColumn;       // where the markup being read began

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Follow(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Follow(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    void Follow(ReadOnlySpan<byte> bytes)
    {
        if (_unit == 0)
        {
            var taken = Math.Min(_head.Length - _headCount, bytes.Length);
            bytes[..taken].CopyTo(_head.AsSpan(_headCount));
            _headCount += taken;
            if (_headCount < _head.Length && bytes.Length > 0)
            {
                return;
            }
            (_unit, _bigEndian) = Encoding(_head.AsSpan(0, _headCount));
            Feed(_head.AsSpan(0, _headCount));
            bytes = bytes[taken..];
        }
        Feed(bytes);
    }

    void Feed(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (_carried > 0 && i < bytes.Length)
        {
            _carry[_carried++] = bytes[i++];
            if (_carried == _unit)
            {
                Step(Unit(_carry));
                _carried = 0;
            }
        }
        if (_unit == 1)
        {
            FeedBytes(bytes[i..]);
            return;
        }
        for (; i + _unit <= bytes.Length; i += _unit)
        {
            Step(Unit(bytes.Slice(i, _unit)));
        }
        bytes[i..].CopyTo(_carry);
        _carried = bytes.Length - i;
    }

    /// <summary>
    /// Text and the inside of CDATA sections are nearly all of a file: runs of them up to the next byte that matters
    /// are skipped at once rather than stepped through.
    /// </summary>
    void FeedBytes(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var run = _state switch
            {
                State.Text => bytes.IndexOf((byte)'<'),
                State.CData when _matched == 0 => bytes.IndexOf((byte)']'),
                State.Tag or State.EndTag or State.Declaration when _quote != 0 => bytes.IndexOf((byte)_quote),
                State.Tag or State.EndTag or State.Declaration => bytes.IndexOfAny((byte)'"', (byte)'\'', (byte)'>'),
                _ => 0,
            };
            if (run == 0)
            {
                Step(bytes[0]);
                bytes = bytes[1..];
                continue;
            }
            var skipped = run < 0 ? bytes : bytes[..run];
            var newline = skipped.LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                _line += skipped.Count((byte)'\n');
                _column = System.Text.Encoding.UTF8.GetCharCount(skipped[(newline + 1)..]);
            }
            else
            {
                _column += System.Text.Encoding.UTF8.GetCharCount(skipped);
            }
            _length += skipped.Length;
            if (_state == State.CData)
            {
                CheckSection();
            }
            else if (_state != State.Text)
            {
                _previous = skipped[^1];
                CheckTag();
            }
            bytes = bytes[skipped.Length..];
        }
    }

    int Unit(ReadOnlySpan<byte> b) => _unit switch
    {
        1 => b[0],
        2 => _bigEndian ? b[0] << 8 | b[1] : b[1] << 8 | b[0],
        _ => _bigEndian ? b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3] : b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0],
    };

    /// <summary>Code unit size and byte order from a byte order mark, or from how "&lt;?" is spelled (XML 1.0, appendix F).</summary>
    static (int Unit, bool BigEndian) Encoding(ReadOnlySpan<byte> b) => b switch
    {
        [0x00, 0x00, 0xFE, 0xFF, ..] or [0x00, 0x00, 0x00, 0x3C, ..] => (4, true),
        [0xFF, 0xFE, 0x00, 0x00, ..] or [0x3C, 0x00, 0x00, 0x00, ..] => (4, false),
        [0xFE, 0xFF, ..] or [0x00, 0x3C, ..] => (2, true),
        [0xFF, 0xFE, ..] or [0x3C, 0x00, ..] => (2, false),
        _ => (1, false),
    };

    void Step(int c)
    {
        if (c == '\n')
        {
            _line++;
            _column = 0;
        }
        else if (_unit != 1 || (c & 0xC0) != 0x80)
        {
            // UTF-8's continuation bytes are not characters of their own, for the position an error names.
            _column++;
        }
        _length += _unit;
        switch (_state)
        {
            case State.Text:
                if (c == '<')
                {
                    _state = State.Open;
                    (_startLine, _startColumn, _length) = (_line, _column, _unit);
                }
                break;
            case State.Open:
                (_state, _quote, _previous) = c switch
                {
                    '!' => (State.Bang, 0, 0),
                    '?' => (State.Instruction, 0, 0),
                    '/' => (State.EndTag, 0, 0),
                    _ => (State.Tag, 0, c),
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
                    TagUnit(c);
                }
                break;
            case State.Tag:
            case State.EndTag:
            case State.Declaration:
                TagUnit(c);
                break;
            case State.Comment:
                // The reader skips a comment without holding it: only its end matters.
                if (c == '>' && _matched >= 2) _state = State.Text;
                _matched = c == '-' ? _matched + 1 : 0;
                break;
            case State.Instruction:
                if (c == '>' && _matched >= 1) _state = State.Text;
                _matched = c == '?' ? 1 : 0;
                break;
            case State.CData:
                if (c == '>' && _matched >= 2)
                {
                    _state = State.Text;
                }
                else
                {
                    CheckSection();
                }
                _matched = c == ']' ? _matched + 1 : 0;
                break;
        }
    }

    void TagUnit(int c)
    {
        if (_quote != 0)
        {
            if (c == _quote) _quote = 0;
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
                throw Stop($"Elements are nested more than {MaxDepth} deep");
            }
            _state = State.Text;
            return;
        }
        _previous = c;
        CheckTag();
    }

    void CheckTag()
    {
        if (_length > MaxTagBytes)
        {
            throw Stop($"A tag is longer than {MaxTagBytes:N0} bytes");
        }
    }

    void CheckSection()
    {
        if (_length > MaxCDataBytes)
        {
            throw Stop($"A CDATA section is longer than {MaxCDataBytes:N0} bytes");
        }
    }

    ImportFileException Stop(string message) => new(message, _startLine, _startColumn);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
