using System.Text;
using System.Text.Json;

namespace Hearth.Portability;

/// <summary>
/// A JSON file read one token at a time from a stream, through a buffer that holds at most one token beyond what has
/// been read: memory stays bounded however long the file or its arrays are. A file that is not JSON, or ends early,
/// stops with an <see cref="ImportFileException"/> naming the line and position.
/// </summary>
sealed class JsonTokens(Stream stream)
{
    /// <summary>The longest single value the buffer grows to hold: a comment's words, escaped, are far below it.</summary>
    const int MaxTokenBytes = 32 * 1024 * 1024;

    byte[] _buffer = new byte[64 * 1024];
    int _start;
    int _end;
    bool _final;
    bool _started;
    JsonReaderState _state = new(new JsonReaderOptions { MaxDepth = 32 });

    public JsonTokenType Type { get; private set; }

    /// <summary>The depth of the token: 0 for the root's own brackets, 1 for its properties, and so on.</summary>
    public int Depth { get; private set; }

    /// <summary>A string or property name, unescaped; a number or literal as written; null otherwise.</summary>
    public string? Text { get; private set; }

    /// <summary>Moves to the next token; false at the end of the file.</summary>
    public bool Next()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            bool read;
            try
            {
                read = reader.Read();
                if (read)
                {
                    // The limit is on characters; escaped, one takes at most six bytes: no value is decoded past it.
                    if (reader.ValueSpan.Length > ImportReading.MaxFieldChars * 6)
                    {
                        throw new ImportFileException($"A field is longer than {ImportReading.MaxFieldChars:N0} characters", 0, 0);
                    }
                    Type = reader.TokenType;
                    Depth = reader.CurrentDepth;
                    Text = Type switch
                    {
                        JsonTokenType.String or JsonTokenType.PropertyName => reader.GetString(),
                        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => null,
                    };
                }
            }
            catch (JsonException e)
            {
                throw Malformed(e);
            }
            catch (InvalidOperationException e)
            {
                // Text that is not UTF-8, or half of a surrogate pair, inside a string.
                throw new ImportFileException("The file has text that is not valid UTF-8 (or a lone \\u surrogate) inside a string", 0, 0, e);
            }
            _start += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            if (read)
            {
                if (Text is { Length: > ImportReading.MaxFieldChars })
                {
                    throw new ImportFileException($"A field is longer than {ImportReading.MaxFieldChars:N0} characters", 0, 0);
                }
                return true;
            }
            if (_final)
            {
                return false;
            }
            Fill();
        }
    }

    /// <summary>Reads past the value that starts at the current token (an object or array with everything in it), token by token.</summary>
    public void SkipValue()
    {
        if (Type is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }
        var depth = Depth;
        while (Next())
        {
            if (Type is JsonTokenType.EndObject or JsonTokenType.EndArray && Depth == depth)
            {
                return;
            }
        }
        throw Truncated();
    }

    public static ImportFileException Truncated() => new("The file ends before the JSON does: it was cut short", 0, 0);

    void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxTokenBytes)
            {
                throw new ImportFileException($"A value in the file is longer than {MaxTokenBytes / (1024 * 1024)} MB", 0, 0);
            }
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _final = true;
        }
        _end += read;
        // A byte order mark, which some editors put first, is not JSON; the file is read without it.
        if (!_started && _end - _start >= 3)
        {
            _started = true;
            if (_buffer[_start] == 0xEF && _buffer[_start + 1] == 0xBB && _buffer[_start + 2] == 0xBF)
            {
                _start += 3;
            }
        }
    }

    static ImportFileException Malformed(JsonException e)
    {
        // The runtime counts lines and bytes from 0 and repeats the place in its message; people count from 1.
        var line = (int)Math.Min(int.MaxValue, (e.LineNumber ?? 0) + 1);
        var position = (int)Math.Min(int.MaxValue, (e.BytePositionInLine ?? 0) + 1);
        var message = e.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].TrimEnd('.', ' ');
        return new ImportFileException("The file is not valid JSON: " + message, line, position, e);
    }
}
