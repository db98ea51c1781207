namespace Hearth.Storage;

/// <summary>
/// SQLite allows one writer at a time. Taking turns inside the process is far cheaper than letting
/// transactions collide on the file lock, and it makes "check then insert" in a write flow safe.
/// </summary>
public sealed class WriteGate
{
    readonly SemaphoreSlim _turn = new(1, 1);

    public async ValueTask<Turn> EnterAsync(CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        return new Turn(_turn);
    }

    public readonly struct Turn(SemaphoreSlim turn) : IDisposable
    {
        public void Dispose() => turn.Release();
    }
}
