using System.Globalization;
using System.Text;
using System.Xml;
using Hearth.Conversations;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Hearth.Portability;

/// <summary>
/// Reads the file into <see cref="ImportRow"/>s, a batch at a time: addresses remapped and keyed as Hearth keys threads,
/// HTML sanitised (on every core, a batch at a time), guests given the key Hearth gives guests. Nothing of the site is
/// touched, so a file that turns out malformed half-way leaves the site as it was.
/// </summary>
sealed class ImportStaging(HearthDb db, WriteGate gate, MarkdownRenderer markdown, InstanceKey keys, StagingArea area)
{
    const int Batch = 2000;

    /// <summary>
    /// Characters of text a batch may hold, as read. A field of a file may be a million characters long (every format's
    /// reader stops past that), so 2,000 records could be gigabytes; a batch ends at whichever comes first. Sanitised, a
    /// record's text may grow several times (entities written out), but a comment's HTML past <see cref="MaxHtmlChars"/>
    /// is dropped: with one batch stored while the next is read, what an import holds stays tens of megabytes.
    /// </summary>
    internal const int BatchChars = 4_000_000;
    static readonly TimeSpan FutureGrace = TimeSpan.FromDays(1);
    const int RowsPerStatement = 200;

    static readonly string[] Columns =
    [
        "RunId", "Kind", "SourceId", "ThreadKey", "Url", "Identifier", "Title", "Closed", "ThreadSourceId", "ParentSourceId",
        "AuthorName", "AuthorEmail", "AuthorUrl", "AuthorKey", "CreatedAt", "Source", "Html", "BodyHash", "WordsHash", "Status",
    ];

    /// <param name="now">The creation time of a thread the file gives none.</param>
    /// <remarks>
    /// A batch is stored while the next one is read and sanitised: storing runs on one core, and reading and sanitising
    /// would otherwise leave the other one idle meanwhile. One batch is stored at a time, so the context is never used
    /// by two at once.
    /// </remarks>
    public async Task<(long Threads, long Comments)> RunAsync(string runId, ImportRequest request, Stream file, ImportSummary summary,
        DateTime now, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        long threads = 0, comments = 0;
        var pending = new List<ImportRecord>(Batch);
        var pendingChars = 0L;
        Task<int>? storing = null;
        using var records = request.Format.Read(file).GetEnumerator();
        try
        {
            while (true)
            {
                var more = records.MoveNext();
                if (more)
                {
                    switch (records.Current)
                    {
                        case ImportedSkip { Named: true } skip:
                            summary.SkipNamedByFile(skip.Reason);
                            break;
                        case ImportedSkip skip:
                            summary.Skip(skip.Reason);
                            break;
                        case var record:
                            pending.Add(record);
                            pendingChars += Chars(record);
                            break;
                    }
                }
                if (pending.Count == Batch || pendingChars >= BatchChars || (!more && pending.Count > 0))
                {
                    var rows = Rows(runId, request, pending, now, ct);
                    threads += rows.Count(r => (string)r[1]! == ImportRow.ThreadKind);
                    comments += rows.Count(r => (string)r[1]! == ImportRow.CommentKind);
                    pending.Clear();
                    pendingChars = 0;
                    if (storing is not null)
                    {
                        summary.Skip("listed twice", await storing);
                    }
                    storing = Task.Run(() => StoreAsync(rows, ct), ct);
                    progress?.Report(new ImportProgress("reading", file.CanSeek ? file.Position : 0, file.CanSeek ? file.Length : 0));
                }
                if (!more)
                {
                    if (storing is not null)
                    {
                        summary.Skip("listed twice", await storing);
                        storing = null;
                    }
                    return (threads, comments);
                }
            }
        }
        finally
        {
            if (storing is not null)
            {
                // A malformed file stops the reading: the batch being stored finishes (or fails) before the run's rows go. The
                // file's error is the one to report; a failure of the store as well is observed here, not left to the finaliser.
                await Task.WhenAny(storing);
                _ = storing.Exception;
            }
        }
    }

    static long Chars(ImportRecord record) => record switch
    {
        ImportedComment c => c.Html.Length + c.AuthorName.Length + (c.AuthorEmail?.Length ?? 0) + (c.AuthorUrl?.Length ?? 0)
            + c.SourceId.Length + c.ThreadSourceId.Length + (c.ParentSourceId?.Length ?? 0),
        ImportedThread t => (t.Url?.Length ?? 0) + (t.Identifier?.Length ?? 0) + (t.Title?.Length ?? 0) + t.SourceId.Length,
        _ => 0,
    };

    /// <summary>The batch's rows, sanitised and keyed on every core; records with nothing to stage are left out.</summary>
    List<object?[]> Rows(string runId, ImportRequest request, List<ImportRecord> records, DateTime now, CancellationToken ct)
    {
        var rows = new object?[]?[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { CancellationToken = ct }, i => rows[i] = Row(runId, request, records[i], now));
        return rows.OfType<object?[]>().ToList();
    }

    /// <summary>
    /// Stores a batch in its own transaction, in a turn at the write gate unless the rows have a file of their own; returns
    /// how many of its rows were already staged.
    /// </summary>
    async Task<int> StoreAsync(List<object?[]> rows, CancellationToken ct)
    {
        if (area.Apart)
        {
            // Deferred: the first write takes the lock of the run's own file, never the instance's.
            var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
            await using var own = connection.BeginTransaction(deferred: true);
            var stored = await InsertAsync(rows, own, ct);
            await own.CommitAsync(ct);
            return rows.Count - stored;
        }
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var added = await InsertAsync(rows, transaction.GetDbTransaction(), ct);
            await transaction.CommitAsync(ct);
            await ImportConnection.RestartLogAsync(db, ct);
            return rows.Count - added;
        }
    }

    /// <summary>
    /// The rows, in as few trips as each engine likes: on SQLite one prepared statement run per row (in-process, so a
    /// run costs microseconds), on PostgreSQL many rows a statement with positional values. A row listed twice in the
    /// file is staged once; returns how many were.
    /// </summary>
    async Task<int> InsertAsync(List<object?[]> rows, System.Data.Common.DbTransaction transaction, CancellationToken ct)
    {
        var perStatement = db.Database.IsNpgsql() ? RowsPerStatement : 1;
        var added = 0;
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        foreach (var chunk in rows.Chunk(perStatement))
        {
            if (command.Parameters.Count != chunk.Length * (Columns.Length + 1))
            {
                command.Parameters.Clear();
                var sql = new StringBuilder("INSERT INTO \"ImportRows\" (")
                    .AppendJoin(", ", Columns.Select(c => $"\"{c}\"")).Append(", \"Skip\") VALUES ");
                for (var r = 0; r < chunk.Length; r++)
                {
                    sql.Append(r == 0 ? "(" : ", (");
                    for (var c = 0; c <= Columns.Length; c++)
                    {
                        var parameter = command.CreateParameter();
                        // Positional on PostgreSQL ($1), named on SQLite (@p0): each engine's cheapest binding.
                        var position = command.Parameters.Count;
                        if (!db.Database.IsNpgsql())
                        {
                            parameter.ParameterName = "@p" + position.ToString(CultureInfo.InvariantCulture);
                        }
                        command.Parameters.Add(parameter);
                        sql.Append(c == 0 ? "" : ", ").Append(db.Database.IsNpgsql() ? "$" + (position + 1).ToString(CultureInfo.InvariantCulture) : parameter.ParameterName);
                    }
                    sql.Append(')');
                }
                command.CommandText = area.Sql(sql.Append(" ON CONFLICT (\"RunId\", \"Kind\", \"SourceId\") DO NOTHING").ToString());
            }
            var i = 0;
            foreach (var row in chunk)
            {
                foreach (var value in row)
                {
                    command.Parameters[i++].Value = value ?? DBNull.Value;
                }
            }
            added += await command.ExecuteNonQueryAsync(ct);
        }
        return added;
    }

    /// <summary>The row's values in <see cref="Columns"/> order, then its skip reason; null for a record with nothing to stage.</summary>
    object?[]? Row(string runId, ImportRequest request, ImportRecord record, DateTime now) => record switch
    {
        ImportedThread t => ThreadRow(runId, request, t, now),
        // A comment dated well after the import is taken as written at the import: a file cannot pin a conversation
        // above every other in a thread or in people's inboxes. A day's grace for the clocks of two instances.
        ImportedComment c => CommentRow(runId, c.CreatedAtUtc > now + FutureGrace ? c with { CreatedAtUtc = now } : c),
        _ => null,
    };

    static object?[] ThreadRow(string runId, ImportRequest request, ImportedThread thread, DateTime now)
    {
        var address = thread.Url is ['/', not '/', ..] && request.Origin is { } origin ? origin.TrimEnd('/') + thread.Url : thread.Url;
        var url = ThreadAddress.NormalizeUrl(request.Map.Apply(address));
        var identifier = ThreadAddress.NormalizeIdentifier(thread.Identifier);
        string? skip = null;
        if (identifier is { Length: > ThreadAddress.MaxIdentifierLength })
        {
            skip = "identifier too long";
        }
        else if (url is null && identifier is null)
        {
            skip = "thread without address";
        }
        var key = skip is null ? new ThreadAddress(url ?? "", identifier).Key : null;
        var title = thread.Title is null ? null : TextRules.CleanName(thread.Title);
        return
        [
            runId, ImportRow.ThreadKind, Id(thread.SourceId), key, url ?? "", identifier, title is { Length: > 300 } ? title[..300] : title,
            thread.Closed, null, null, null, null, null, null, thread.CreatedAtUtc ?? now, null, null, null, null, null, skip ?? TooLong(thread.SourceId),
        ];
    }

    object?[] CommentRow(string runId, ImportedComment comment)
    {
        string? skip = TooLong(comment.SourceId) ?? TooLong(comment.ThreadSourceId) ?? TooLong(comment.ParentSourceId);
        if (comment.State == ImportedState.Deleted)
        {
            // A tombstone keeps its place in the tree and nothing else: no words, no author.
            return
            [
                runId, ImportRow.CommentKind, Id(comment.SourceId), null, null, null, null, false, Id(comment.ThreadSourceId),
                comment.ParentSourceId is null ? null : Id(comment.ParentSourceId), "", null, null, "",
                comment.CreatedAtUtc, "", "", "", null, nameof(CommentStatus.Deleted), skip,
            ];
        }
        var body = markdown.SanitizeForeign(comment.Html);
        if (body.IsBlank)
        {
            skip ??= "empty";
        }
        else if (body.Html.Length > MaxHtmlChars)
        {
            skip ??= "too long";
            body = body with { Source = "", Html = "" };
        }
        var name = TextRules.CleanName(comment.AuthorName);
        name = name.Length == 0 ? "Anonymous" : name.Length > CommentInput.MaxNameLength ? name[..CommentInput.MaxNameLength].Trim() : name;
        // An address or website the comment form would refuse is dropped, not the comment.
        var email = GuestInput.From(new GuestAuthorRequest(name, comment.AuthorEmail, null)).Input?.Email;
        var website = GuestInput.From(new GuestAuthorRequest(name, null, comment.AuthorUrl)).Input?.Website;
        var status = comment.State switch
        {
            ImportedState.Spam => CommentStatus.Spam,
            ImportedState.Pending => CommentStatus.Pending,
            ImportedState.Rejected => CommentStatus.Rejected,
            _ => CommentStatus.Published,
        };
        return
        [
            runId, ImportRow.CommentKind, Id(comment.SourceId), null, null, null, null, false, Id(comment.ThreadSourceId),
            comment.ParentSourceId is null ? null : Id(comment.ParentSourceId), name, email, website,
            PostComment.GuestKey(keys, name, email), DateTime.SpecifyKind(comment.CreatedAtUtc, DateTimeKind.Utc),
            body.Source, body.Html, body.Hash, body.WordsHash, status.ToString(), skip,
        ];
    }

    /// <summary>
    /// The longest comment an import keeps, as sanitised HTML: ten times what the comment form takes. A page holds up to
    /// 200 comments, and a file's field may be a million characters: one such page would be hundreds of megabytes to
    /// build, cache on every node and send.
    /// </summary>
    internal const int MaxHtmlChars = 10 * CommentInput.MaxBodyLength;

    const int MaxIdLength = 200;

    static string Id(string id) => id.Length > MaxIdLength ? id[..MaxIdLength] : id;

    static string? TooLong(string? id) => id is { Length: > MaxIdLength } ? "id too long" : null;

}
