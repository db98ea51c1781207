using System.Text;
using Hearth.Portability;

namespace Hearth.Tests.Portability;

/// <summary>Reading Hearth's own JSON export back: every status, the tree, and clear refusals of what is not one.</summary>
public class HearthJsonFormatTests
{
    static List<ImportRecord> Read(string json, int chunk = 0)
    {
        Stream stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        if (chunk > 0)
        {
            stream = new Trickle(stream, chunk);
        }
        return [.. new HearthJsonFormat().Read(stream)];
    }

    static ImportFileException Refused(string json) => Assert.Throws<ImportFileException>(() => Read(json));

    const string Export = """
        {"format":"hearth-export","version":1,"exportedAt":"2026-12-03T23:00:00Z",
         "site":{"name":"blog","origins":["https://blog.example"],"settings":{"bannedWords":["a","b"],"maxLinks":null}},
         "threads":[{"id":1,"key":"u:https://blog.example/post","url":"https://blog.example/post","identifier":null,"title":"A post \u00e9","locked":true,"commentCount":2,"createdAt":"2026-01-02T08:00:00Z"}],
         "comments":[
          {"id":11,"threadId":1,"parentId":10,"replyToId":10,"depth":1,"status":"rejected","author":{"kind":"guest","userId":null,"name":"Bo","website":null,"email":null,"badges":null},"source":"no","html":"\u003Cp\u003Eno\u003C/p\u003E","createdAt":"2026-01-02T09:00:00Z","futureField":{"deep":[1,2,{"x":"y"}]}},
          {"id":10,"threadId":1,"parentId":null,"status":"published","author":{"kind":"member","userId":7,"name":"Ann \uD83C\uDF3B","website":"https://ann.example/","email":"ann@example.org"},"html":"\u003Cp\u003EThe \u003Cstrong\u003Efirst\u003C/strong\u003E\u003C/p\u003E","createdAt":"2026-01-02T08:00:00+01:00"},
          {"id":12,"threadId":1,"parentId":null,"status":"pending","author":{"name":"Cy"},"html":"\u003Cp\u003Ewait\u003C/p\u003E","createdAt":"2026-01-02T10:00:00Z"},
          {"id":13,"threadId":1,"parentId":null,"status":"deleted","author":{"name":""},"html":"","createdAt":"2026-01-02T11:00:00Z"},
          {"id":14,"threadId":1,"parentId":null,"status":"spam","author":{"name":"Spammer"},"html":"\u003Cp\u003Ebuy\u003C/p\u003E","createdAt":"2026-01-02T12:00:00Z"}
         ],
         "people":[{"id":4,"kind":"guest","name":"Ann"}]}
        """;

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void EveryThreadAndCommentIsReadWithItsStatusParentAndAuthorHoweverTheFileArrives(int chunk)
    {
        var records = Read(Export, chunk);
        var thread = Assert.IsType<ImportedThread>(records[0]);
        Assert.Equal(("1", "https://blog.example/post", (string?)null, "A post é", true), (thread.SourceId, thread.Url, thread.Identifier, thread.Title, thread.Closed));
        Assert.Equal(new DateTime(2026, 1, 2, 8, 0, 0, DateTimeKind.Utc), thread.CreatedAtUtc);
        var comments = records.OfType<ImportedComment>().ToDictionary(c => c.SourceId);
        Assert.Equal(5, comments.Count);
        Assert.Equal(("1", "10", ImportedState.Rejected, "Bo"), (comments["11"].ThreadSourceId, comments["11"].ParentSourceId, comments["11"].State, comments["11"].AuthorName));
        Assert.Equal(ImportedState.Approved, comments["10"].State);
        Assert.Null(comments["10"].ParentSourceId);
        Assert.Equal(("Ann 🌻", "ann@example.org", "https://ann.example/"), (comments["10"].AuthorName, comments["10"].AuthorEmail, comments["10"].AuthorUrl));
        Assert.Equal("<p>The <strong>first</strong></p>", comments["10"].Html);
        Assert.Equal(new DateTime(2026, 1, 2, 7, 0, 0, DateTimeKind.Utc), comments["10"].CreatedAtUtc);
        Assert.Equal(ImportedState.Pending, comments["12"].State);
        Assert.Equal(ImportedState.Deleted, comments["13"].State);
        Assert.Equal(ImportedState.Spam, comments["14"].State);
    }

    [Fact]
    public void WhatIsNotAHearthExportIsRefusedClearly()
    {
        Assert.Contains("not a Hearth export", Refused("""{"threads":[]}""").Message);
        Assert.Contains("not a Hearth export", Refused("""{"format":"something-else","threads":[]}""").Message);
        Assert.Contains("not a Hearth export", Refused("""[1,2,3]""").Message);
        Assert.Contains("version 2", Refused("""{"format":"hearth-export","version":2,"threads":[]}""").Message);
        Assert.Contains("Comment 5 has no \"threadId\"", Refused("""{"format":"hearth-export","comments":[{"id":5,"createdAt":"2026-01-01T00:00:00Z"}]}""").Message);
        Assert.Contains("Comment 5 has no readable \"createdAt\"", Refused("""{"format":"hearth-export","comments":[{"id":5,"threadId":1,"createdAt":"yesterday"}]}""").Message);
    }

    [Fact]
    public void AMalformedOrCutFileStopsWithItsLineAndPosition()
    {
        var cut = Refused(Export[..(Export.Length / 2)]);
        Assert.StartsWith("The file is not valid JSON", cut.Message);
        Assert.True(cut.Line > 1, cut.Message);
        Assert.Contains($"(line {cut.Line}, position {cut.Position})", cut.Message);

        var broken = Refused("{\"format\":\"hearth-export\",\n\"threads\":[{\"id\":1,,}]}");
        Assert.Equal(2, broken.Line);
        Assert.Equal(20, broken.Position);
    }

    [Fact]
    public void AnElementSayingOneThingTwiceOrStuffedWithFieldsOrTextThatIsNotUtf8IsRefused()
    {
        Assert.Contains("has \"status\" twice", Refused("""{"format":"hearth-export","comments":[{"id":5,"status":"published","status":"rejected"}]}""").Message);
        var stuffed = string.Join(",", Enumerable.Range(0, 70).Select(i => $"\"f{i}\":1"));
        Assert.Contains("more than 64 fields", Refused("{\"format\":\"hearth-export\",\"threads\":[{" + stuffed + "}]}").Message);
        var bytes = Encoding.UTF8.GetBytes("""{"format":"hearth-export","threads":[{"id":1,"title":"AB"}]}""");
        bytes[Array.IndexOf(bytes, (byte)'A')] = 0xFF;
        var notUtf8 = Assert.Throws<ImportFileException>(() => new HearthJsonFormat().Read(new MemoryStream(bytes)).ToList());
        Assert.Contains("not valid", notUtf8.Message);
        Assert.Contains("surrogate", Refused("""{"format":"hearth-export","threads":[{"id":1,"title":"\uD800"}]}""").Message);
    }

    [Fact]
    public void AFileThatStartsWithAByteOrderMarkIsRead()
    {
        var records = Read("\uFEFF" + Export);
        Assert.Equal(6, records.Count);
    }

    /// <summary>Hands out a few bytes at a time, as a slow upload or a pipe does.</summary>
    sealed class Trickle(Stream inner, int chunk) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, chunk));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
