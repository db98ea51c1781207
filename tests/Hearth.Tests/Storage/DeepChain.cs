using Hearth.Conversations;
using System.Data.Common;

namespace Hearth.Tests.Storage;

/// <summary>
/// A chain of replies written straight into a Hearth database with SQL, each answering the one before, as an older
/// Hearth (before replies had a maximum depth) or a hand-made import could have left it.
/// </summary>
public static class DeepChain
{
    /// <summary>
    /// Adds a thread at the URL to the site with a chain of the given length; returns the ids, top-level first.
    /// The database is the one of the data folder holding <paramref name="databasePath"/> (see <see cref="TestDatabase.Open"/>).
    /// </summary>
    public static async Task<long[]> WriteAsync(string databasePath, string site, string url, int length)
    {
        await using var connection = TestDatabase.Open(Path.GetDirectoryName(databasePath)!);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        var now = DateTime.UtcNow;

        var thread = connection.CreateCommand();
        thread.CommandText = """
            INSERT INTO "Threads" ("SiteId", "Key", "Url", "Identifier", "Title", "Locked", "CommentCount", "EventSeq", "CreatedAt")
            SELECT "Id", @key, @url, NULL, 'A very deep thread', FALSE, @count, 0, @now FROM "Sites" WHERE "Name" = @site;
            SELECT "Id", "SiteId" FROM "Threads" WHERE "Key" = @key AND "SiteId" = (SELECT "Id" FROM "Sites" WHERE "Name" = @site);
            """;
        Add(thread, "@key", new ThreadAddress(url, null).Key);
        Add(thread, "@url", url);
        Add(thread, "@count", length);
        Add(thread, "@now", now.AddDays(-1));
        Add(thread, "@site", site);
        long threadId, siteId;
        await using (var reader = await thread.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync(), $"No site named {site} in {databasePath}.");
            (threadId, siteId) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        var comment = connection.CreateCommand();
        comment.CommandText = """
            INSERT INTO "Comments" ("SiteId", "ThreadId", "ParentId", "RootId", "Depth", "Author_Kind", "Author_Name", "Author_Key",
                "Source", "Html", "BodyHash", "Status", "CreatedAt", "EditedByModerator", "Pinned", "Featured", "Upvotes", "Downvotes", "Rank")
            VALUES (@site, @thread, @parent, @root, @depth, 'Guest', @name, @key, @source, @html, @hash, 'Published', @at, FALSE, FALSE, FALSE, 0, 0, 0)
            RETURNING "Id";
            """;
        var parameters = new[] { "@site", "@thread", "@parent", "@root", "@depth", "@name", "@key", "@source", "@html", "@hash", "@at" }
            .ToDictionary(name => name, name => Add(comment, name, null));
        parameters["@site"].Value = siteId;
        parameters["@thread"].Value = threadId;
        var ids = new long[length];
        for (var depth = 0; depth < length; depth++)
        {
            parameters["@parent"].Value = depth == 0 ? DBNull.Value : ids[depth - 1];
            parameters["@root"].Value = depth == 0 ? DBNull.Value : ids[0];
            parameters["@depth"].Value = depth;
            parameters["@name"].Value = $"Writer {depth}";
            parameters["@key"].Value = $"deep-chain-{depth % 7}";
            parameters["@source"].Value = $"Answer number {depth}";
            parameters["@html"].Value = $"<p>Answer number {depth}</p>";
            parameters["@hash"].Value = MarkdownRenderer.HashBody($"Answer number {depth}");
            parameters["@at"].Value = now.AddDays(-1).AddMilliseconds(depth);
            ids[depth] = (long)(await comment.ExecuteScalarAsync())!;
        }
        await transaction.CommitAsync();
        return ids;
    }

    static DbParameter Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
