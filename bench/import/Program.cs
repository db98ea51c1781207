using System.Globalization;
using System.Text;
using System.Xml;
using ImportData;

// A Disqus XML export as a long-running site's looks: many threads whose comments follow a long tail (a few pages
// hold thousands, most a handful), people of whom a few write a lot, text of 10 to 150 words with some markup and
// links, replies forming trees (mostly to recent comments of the same thread), a few deleted and some spam. Written
// as it is made, so a file of millions of comments costs no more memory than the reply bookkeeping.
//
// Usage: dotnet run --project bench/import -c Release -- [--comments N] [--out FILE] [--seed S]

var comments = 1_000_000;
var output = "disqus-export.xml";
var seed = 20261203;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--comments": comments = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--out": output = args[++i]; break;
        case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; use --comments N --out FILE --seed S");
            return 2;
    }
}

var random = new Random(seed);
var words = new Words(random);
var threadCount = Math.Max(10, comments / 40);
var peopleCount = Math.Max(10, comments / 3);
var start = new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc);
var span = TimeSpan.FromDays(5 * 365);
// Popularity in a shuffled order, so the popular pages are spread over the years rather than all the oldest.
var threadWeights = Zipf.Cumulative(threadCount, 1.0, random);
var personWeights = Zipf.Cumulative(peopleCount, 0.9, random);
var threadStarts = Enumerable.Range(0, threadCount).Select(t => start + span * ((double)t / threadCount)).ToArray();
// Each thread's latest comment: the next one on the page comes after it, so replies never predate what they answer.
var threadLatest = (DateTime[])threadStarts.Clone();
var threadPosts = new List<int>?[threadCount];
const long IdBase = 4_000_000_000;

var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, Async = false };
using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
using var xml = XmlWriter.Create(file, settings);
const string Ns = "http://disqus.com";
const string Dsq = "http://disqus.com/disqus-internals";
xml.WriteStartDocument();
xml.WriteStartElement("disqus", Ns);
xml.WriteAttributeString("xmlns", "dsq", null, Dsq);
xml.WriteAttributeString("xmlns", "xsi", null, "http://www.w3.org/2001/XMLSchema-instance");
xml.WriteStartElement("category", Ns);
xml.WriteAttributeString("dsq", "id", Dsq, "1");
xml.WriteElementString("forum", Ns, "bench-blog");
xml.WriteElementString("title", Ns, "General");
xml.WriteElementString("isDefault", Ns, "true");
xml.WriteEndElement();

for (var t = 0; t < threadCount; t++)
{
    var slug = words.Slug(random, random.Next(2, 6));
    var created = threadStarts[t];
    xml.WriteStartElement("thread", Ns);
    xml.WriteAttributeString("dsq", "id", Dsq, (IdBase + t).ToString(CultureInfo.InvariantCulture));
    // Some sites gave Disqus an identifier, some only the page's address.
    xml.WriteElementString("id", Ns, random.NextDouble() < 0.5 ? $"post-{t}" : "");
    xml.WriteElementString("forum", Ns, "bench-blog");
    xml.WriteStartElement("category", Ns);
    xml.WriteAttributeString("dsq", "id", Dsq, "1");
    xml.WriteEndElement();
    xml.WriteElementString("link", Ns, $"https://blog.example/{created:yyyy/MM}/{Uri.EscapeDataString(slug)}{(random.NextDouble() < 0.1 ? "?utm_source=feed" : "")}");
    xml.WriteElementString("title", Ns, words.Title(random, random.Next(3, 11)));
    xml.WriteElementString("message", Ns, "");
    xml.WriteElementString("createdAt", Ns, Date(created));
    xml.WriteStartElement("author", Ns);
    xml.WriteElementString("name", Ns, "Editor");
    xml.WriteElementString("isAnonymous", Ns, "false");
    xml.WriteElementString("username", Ns, "editor");
    xml.WriteEndElement();
    xml.WriteElementString("isClosed", Ns, random.NextDouble() < 0.03 ? "true" : "false");
    xml.WriteElementString("isDeleted", Ns, random.NextDouble() < 0.005 ? "true" : "false");
    xml.WriteEndElement();
}

var text = new StringBuilder();
for (var c = 0; c < comments; c++)
{
    var thread = Zipf.Pick(threadWeights, random);
    // Busy in the first days of a page, then quieter: gaps of minutes at first, of about an hour later on (growing without
    // bound, the busiest page of a million comments ran past the year 9999).
    var count = threadPosts[thread]?.Count ?? 0;
    var at = threadLatest[thread] = threadLatest[thread].AddSeconds(-Math.Log(1 - random.NextDouble()) * (120 + 60.0 * Math.Min(count, 50)));
    var earlier = threadPosts[thread] ??= [];
    long? parent = null;
    if (earlier.Count > 0 && random.NextDouble() < 0.45)
    {
        // Mostly an answer to something recent on the page, sometimes to an old comment.
        var back = random.NextDouble() < 0.8 ? random.Next(Math.Min(earlier.Count, 8)) : random.Next(earlier.Count);
        parent = IdBase * 2 + earlier[earlier.Count - 1 - back];
    }
    earlier.Add(c);
    var person = Zipf.Pick(personWeights, random);
    var state = random.NextDouble();

    xml.WriteStartElement("post", Ns);
    xml.WriteAttributeString("dsq", "id", Dsq, (IdBase * 2 + c).ToString(CultureInfo.InvariantCulture));
    xml.WriteElementString("id", Ns, random.NextDouble() < 0.2 ? $"wp_id={c}" : "");
    xml.WriteStartElement("message", Ns);
    xml.WriteCData(Message(random, words, text));
    xml.WriteEndElement();
    xml.WriteElementString("createdAt", Ns, Date(at));
    xml.WriteElementString("isDeleted", Ns, state < 0.02 ? "true" : "false");
    xml.WriteElementString("isSpam", Ns, state is >= 0.02 and < 0.05 ? "true" : "false");
    xml.WriteStartElement("author", Ns);
    var name = words.Name(person);
    if (person % 10 < 7)
    {
        xml.WriteElementString("email", Ns, $"{name.ToLowerInvariant().Replace(' ', '.')}@{(person % 3 == 0 ? "mail.example" : "post.example")}");
    }
    xml.WriteElementString("name", Ns, name);
    var registered = person % 5 == 0;
    xml.WriteElementString("isAnonymous", Ns, registered ? "false" : "true");
    if (registered)
    {
        xml.WriteElementString("username", Ns, $"user{person}");
    }
    xml.WriteEndElement();
    xml.WriteElementString("ipAddress", Ns, $"198.51.100.{person % 250}");
    xml.WriteStartElement("thread", Ns);
    xml.WriteAttributeString("dsq", "id", Dsq, (IdBase + thread).ToString(CultureInfo.InvariantCulture));
    xml.WriteEndElement();
    if (parent is { } p)
    {
        xml.WriteStartElement("parent", Ns);
        xml.WriteAttributeString("dsq", "id", Dsq, p.ToString(CultureInfo.InvariantCulture));
        xml.WriteEndElement();
    }
    xml.WriteEndElement();
}
xml.WriteEndElement();
xml.WriteEndDocument();
xml.Flush();
Console.Error.WriteLine($"wrote {comments} comments in {threadCount} threads by up to {peopleCount} people to {output} ({file.Length / 1024 / 1024} MB)");
return 0;

static string Date(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

// 10 to 150 words in one to four paragraphs, with now and then emphasis, a link, a quote or a line break.
static string Message(Random random, Words words, StringBuilder text)
{
    text.Clear();
    var total = 10 + (int)Math.Min(140, -Math.Log(1 - random.NextDouble()) * 35);
    var paragraphs = 1 + Math.Min(3, total / 40);
    var perParagraph = total / paragraphs;
    for (var p = 0; p < paragraphs; p++)
    {
        var quote = p == 0 && random.NextDouble() < 0.05;
        text.Append(quote ? "<blockquote>" : "<p>");
        var capital = true;
        for (var w = 0; w < perParagraph; w++)
        {
            var word = words.Word(random);
            if (capital)
            {
                word = Words.Capital(word);
                capital = false;
            }
            var roll = random.NextDouble();
            if (roll < 0.01)
            {
                text.Append("<b>").Append(word).Append("</b>");
            }
            else if (roll < 0.02)
            {
                text.Append("<i>").Append(word).Append("</i>");
            }
            else if (roll < 0.026)
            {
                text.Append("<a href=\"https://").Append(words.Slug(random, 1)).Append(".example/").Append(words.Slug(random, 2))
                    .Append("\" rel=\"nofollow noopener\" target=\"_blank\">").Append(word).Append("</a>");
            }
            else
            {
                text.Append(word.Replace("&", "&amp;"));
            }
            if (w == perParagraph - 1)
            {
                text.Append(random.NextDouble() < 0.15 ? "?" : ".");
            }
            else if (random.NextDouble() < 0.08)
            {
                text.Append(random.NextDouble() < 0.7 ? ". " : ", ");
                capital = text[^2] == '.';
            }
            else
            {
                text.Append(random.NextDouble() < 0.01 ? "<br>" : " ");
            }
        }
        text.Append(quote ? "</blockquote>" : "</p>");
    }
    return text.ToString();
}
