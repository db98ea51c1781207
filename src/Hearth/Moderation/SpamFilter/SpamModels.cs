using System.Globalization;
using System.Text;
using Hearth.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hearth.Moderation.SpamFilter;

/// <summary>A site's model in the database: read only as much of it as some tokens need, and write back what changed.</summary>
public sealed class SpamModels(HearthDb db)
{
    /// <summary>Keeps each query's list of tokens well inside what a statement may carry (a comment has fewer).</summary>
    const int TokensPerQuery = 500;

    /// <summary>
    /// For scoring a post: the site's totals and its counts of these tokens, nothing more, in one command of two
    /// statements. This runs for every post, so it is plain SQL (valid for SQLite and PostgreSQL alike): EF's
    /// translation of a list of strings into IN (...) cost three times the query itself.
    /// </summary>
    public async Task<SpamModel> ReadAsync(long siteId, IReadOnlyCollection<string> tokens, CancellationToken ct)
    {
        var totals = new SpamTotals { SiteId = siteId };
        var counts = new List<SpamTokenCount>();
        var values = new List<object?>(tokens.Count + 1) { siteId };
        var sql = new StringBuilder("""
            SELECT "SpamComments", "HamComments", "SpamTokens", "HamTokens", "Vocabulary" FROM "SpamTotals" WHERE "SiteId" = @p0;
            SELECT "Token", "Spam", "Ham" FROM "SpamTokens" WHERE "SiteId" = @p0 AND "Token" IN (
            """);
        foreach (var token in tokens)
        {
            sql.Append(values.Count == 1 ? "@p" : ", @p").Append(values.Count.ToString(CultureInfo.InvariantCulture));
            values.Add(token);
        }
        sql.Append(values.Count == 1 ? "NULL);" : ");");
        await using var result = await db.ReadAsync(sql.ToString(), values, ct);
        var reader = result.Rows;
        if (await reader.ReadAsync(ct))
        {
            totals.SpamComments = reader.GetInt32(0);
            totals.HamComments = reader.GetInt32(1);
            totals.SpamTokens = reader.GetInt64(2);
            totals.HamTokens = reader.GetInt64(3);
            totals.Vocabulary = reader.GetInt32(4);
        }
        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts.Add(new SpamTokenCount { SiteId = siteId, Token = reader.GetString(0), Spam = reader.GetInt32(1), Ham = reader.GetInt32(2) });
        }
        return new SpamModel(totals, counts);
    }

    /// <summary>For learning: the same part of the model, tracked, so <see cref="Stage"/> can write it back.</summary>
    public async Task<SpamModel> LoadForLearningAsync(long siteId, IReadOnlyCollection<string> tokens, CancellationToken ct)
    {
        var totals = await db.Set<SpamTotals>().FirstOrDefaultAsync(t => t.SiteId == siteId, ct);
        var rows = new List<SpamTokenCount>();
        // A site that has learned nothing has no counts to read.
        if (totals is not null)
        {
            foreach (var chunk in tokens.Chunk(TokensPerQuery))
            {
                rows.AddRange(await db.Set<SpamTokenCount>().Where(c => c.SiteId == siteId && chunk.Contains(c.Token)).ToListAsync(ct));
            }
        }
        return new SpamModel(totals ?? new SpamTotals { SiteId = siteId }, rows);
    }

    /// <summary>Adds, changes or removes rows after learning; the caller saves, in the same transaction as the decisions.</summary>
    public void Stage(SpamModel model)
    {
        if (db.Entry(model.Totals).State == EntityState.Detached)
        {
            db.Add(model.Totals);
        }
        foreach (var count in model.Counts)
        {
            var stored = db.Entry(count).State != EntityState.Detached;
            var empty = count.Spam == 0 && count.Ham == 0;
            if (!stored && !empty)
            {
                db.Add(count);
            }
            else if (stored && empty)
            {
                // A token the site has unlearned entirely is one it does not know: no row, as before.
                db.Remove(count);
            }
        }
    }
}
