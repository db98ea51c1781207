using System.Text;

namespace Hearth.Portability;

/// <summary>
/// Reads through to the file and keeps its first bytes: .NET's XML reader refuses a DTD without saying where it was,
/// and a DTD can only be in the prolog, so the message can still name its line and position.
/// </summary>
sealed class PrologStream(Stream inner) : Stream
{
    const int Kept = 64 * 1024;
    readonly MemoryStream _start = new();

    /// <summary>Where "&lt;!DOCTYPE" is in the first bytes read, or (0, 0).</summary>
    public (int Line, int Position) WhereDoctype()
    {
        var text = Encoding.UTF8.GetString(_start.GetBuffer(), 0, (int)_start.Length);
        var at = text.IndexOf("<!DOCTYPE", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return (0, 0);
        }
        var line = 1 + text.AsSpan(0, at).Count('\n');
        return (line, at - text.LastIndexOf('\n', Math.Max(0, at - 1)));
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Keep(buffer.AsSpan(offset, read));
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Keep(buffer.Span[..read]);
        return read;
    }

    void Keep(ReadOnlySpan<byte> bytes)
    {
        if (_start.Length < Kept)
        {
            _start.Write(bytes[..Math.Min(bytes.Length, Kept - (int)_start.Length)]);
        }
    }

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
