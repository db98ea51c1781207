namespace Hearth.Storage;

/// <summary>
/// SQLite allows one writer at a time. Taking turns inside the process is far cheaper than letting
/// transactions collide on the file lock. It makes nothing safe across nodes: there, "check then insert" is made safe
/// by the database (row locks taken first, <see cref="Conversations.ThreadLocks"/>; unique keys with insert-or-fetch).
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
