namespace Hearth.Tests.Moderation.SpamFilter;

/// <summary>
/// Ordinary comments in seven styles: short reactions, thoughtful replies, questions, disagreements, technical
/// answers with code and links to documentation, casual or non-English ones, and hard cases that mention money,
/// medicines, betting, working from home or shops, with links, as people do.
/// </summary>
public static class HamWriter
{
    static readonly string[][] Topics =
    [
        ["the tomatoes", "the compost heap", "raised beds", "the seedlings", "the allotment", "slugs", "mulch", "the roses", "the greenhouse", "runner beans"],
        ["the new bike lane", "my commute", "disc brakes", "the long climb", "gravel roads", "panniers", "the ring road", "tyre pressure"],
        ["sourdough", "the sauce", "a cast iron pan", "the recipe", "fresh basil", "the oven", "the stock", "risotto"],
        ["the council", "the housing plan", "parking fees", "the library", "the bus timetable", "the school budget", "the consultation"],
        ["the ending", "the second chapter", "the translation", "the audiobook", "the main character", "the sequel"],
        ["the release", "the API", "the migration", "test coverage", "the compiler", "the database", "the build"],
        ["the lens", "golden hour", "the exposure", "film stock", "the composition", "the tripod"],
        ["bedtime", "the school run", "screen time", "homework", "the toddler years"],
        ["the mill", "the old harbour", "the railway", "the war memorial", "the census records", "the cathedral"],
        ["the chorus", "the live album", "the bass line", "the festival", "the vinyl pressing"],
    ];

    static readonly string[] Doing = ["growing", "riding", "cooking", "following", "reading", "building", "photographing", "writing about", "looking after", "collecting"];
    static readonly string[] Observations = ["it still surprises me", "I keep learning something new", "the basics matter more than the gear", "patience pays off", "nobody gets it right the first time", "the small things add up"];
    static readonly string[] Outcomes = ["it took twice as long as planned", "it went better than expected", "we had to start over", "the neighbours joined in", "it was worth every minute", "half of it did not survive the winter"];
    static readonly string[] Conditions = ["you start small", "everyone agrees on the plan first", "you write things down", "you ask the people who do it every day", "you keep it simple", "nobody is in a hurry"];
    static readonly string[] Memories = ["my first year at the allotment", "a walk along the canal with my dad", "the winter the river froze", "my grandmother's kitchen", "the old shop on the corner", "our school trip to the coast"];
    static readonly string[] Seasons = ["spring", "summer", "autumn", "winter", "year"];

    public static (string Style, string Body) Write(Random random) => random.OneOf(
        ("reaction", 16, Reaction),
        ("thoughtful", 18, Thoughtful),
        ("question", 14, Question),
        ("disagreement", 12, Disagreement),
        ("technical", 14, Technical),
        ("casual", 12, Casual),
        ("hard-ham", 14, HardHam));

    static string Noun(Random random) => random.Pick(random.Pick(Topics));

    public static string Reaction(Random random)
    {
        string[] openers = ["Love this", "So true", "Great read", "Thanks for this", "Beautiful", "Ha", "Well said", "This made my day", "Brilliant", "Spot on", "Nice one", "Wow", "Exactly", "Lovely", "Needed this today", "Great post", "Wonderful article, very well written", "Really informative, thank you for sharing"];
        string[] endings = ["!", ".", " :)", ", thank you.", ", sharing it with my sister.", $", especially the part about {Noun(random)}.", "!!", " 👏"];
        return random.Pick(openers) + random.Pick(endings);
    }

    static string Thoughtful(Random random)
    {
        var sentences = new List<string>();
        var count = random.Next(3, 7);
        for (var i = 0; i < count; i++)
        {
            sentences.Add(Sentence(random));
        }
        return string.Join(random.Chance(0.3) ? "\n\n" : " ", sentences);
    }

    /// <summary>One sentence of a considered reply (spam borrows these too).</summary>
    public static string Sentence(Random random) => random.Next(7) switch
    {
        0 => $"I have been {random.Pick(Doing)} {Noun(random)} for {random.Next(2, 30)} years and {random.Pick(Observations)}.",
        1 => $"What surprised me most was {Noun(random)}; I expected {Noun(random)} to matter more.",
        2 => $"The point about {Noun(random)} is well made, but I think {Noun(random)} deserves a mention too.",
        3 => $"We tried something similar with {Noun(random)} last {random.Pick(Seasons)}, and {random.Pick(Outcomes)}.",
        4 => $"In my experience {Noun(random)} works best when {random.Pick(Conditions)}.",
        5 => $"It reminds me of {random.Pick(Memories)}.",
        _ => "Thanks for taking the time to write all of this down.",
    };

    static string Question(Random random) => random.Next(6) switch
    {
        0 => $"Does anyone know whether {Noun(random)} changes after {random.Pick(Seasons)}?",
        1 => $"How did you deal with {Noun(random)}? Ours was a disaster.",
        2 => $"Is there a way to sort out {Noun(random)} without touching {Noun(random)}?",
        3 => $"Quick question: where can I read more about {Noun(random)}?",
        4 => $"Would you do it the same way again, knowing what you know about {Noun(random)} now?",
        _ => $"Sorry if this is obvious, but what do you mean by {Noun(random)} in the third paragraph?",
    };

    static string Disagreement(Random random) => random.Next(5) switch
    {
        0 => $"I don't think that's right. In my experience {Noun(random)} works best when {random.Pick(Conditions)}.",
        1 => $"Respectfully, {Noun(random)} is not the problem here; {Noun(random)} is.",
        2 => $"I have to disagree. We tried this with {Noun(random)} last {random.Pick(Seasons)} and {random.Pick(Outcomes)}.",
        3 => $"This ignores {Noun(random)} completely, which is the part most people struggle with.",
        _ => $"Not convinced. The numbers on {Noun(random)} are from {random.Next(1995, 2024)} and a lot has changed since.",
    };

    static string Technical(Random random)
    {
        (string Text, string Link)[] answers =
        [
            ("You can squash them with `git rebase -i HEAD~{n}`.", "https://git-scm.com/docs/git-rebase"),
            ("Use `Array.prototype.flatMap` instead of the nested loop.", "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Array/flatMap"),
            ("`asyncio.gather` runs them concurrently; the timeout goes on each task.", "https://docs.python.org/3/library/asyncio-task.html"),
            ("An index on both columns fixed it for us:\n\n```sql\nCREATE INDEX ix_orders ON orders (customer_id, created_at);\n```", "https://www.postgresql.org/docs/current/indexes-multicolumn.html"),
            ("In .NET you want `IAsyncEnumerable<T>` here, not a list.", "https://learn.microsoft.com/en-us/dotnet/csharp/asynchronous-programming/generate-consume-asynchronous-stream"),
            ("Borrowing it as `&mut` in the loop is what the compiler complains about.", "https://doc.rust-lang.org/book/ch04-02-references-and-borrowing.html"),
            ("Set `resources.limits.memory` on the container or the node kills it.", "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"),
            ("Run `npm ci` in CI rather than `npm install` so the lock file is respected.", "https://docs.npmjs.com/cli/commands/npm-ci"),
            ("There is an open issue about exactly this crash.", "https://github.com/nodejs/node/issues/{n}"),
            ("The accepted answer explains why the float comparison fails.", "https://stackoverflow.com/questions/{n}"),
        ];
        var (text, link) = random.Pick(answers);
        var n = random.Next(2, 60000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        text = text.Replace("{n}", n, StringComparison.Ordinal);
        link = link.Replace("{n}", n, StringComparison.Ordinal);
        string[] frames = ["{0} Docs: {1}", "{0}\n\nSee {1}", "{0} The [documentation]({1}) has an example.", "{0}", "Had the same problem with {2}. {0} More here: {1}"];
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, random.Pick(frames), text, link, Noun(random));
    }

    static string Casual(Random random)
    {
        string[] lines =
        [
            "ngl this is the best thing I've read all week", "lmao my dog does the exact same thing", "tbh I expected worse, not bad at all",
            "fr this is so accurate it hurts", "ok but why is nobody talking about {0}", "same tbh, {0} is always the hard part",
            "Merci beaucoup, super article !", "C'est exactement ce que je pensais de {0}.", "Danke für den Artikel, sehr hilfreich.",
            "Genau so war es bei uns auch.", "Muy buen artículo, gracias por compartir.", "Jajaja me pasó lo mismo con {0}.",
            "Obrigado, ajudou muito!", "Mooi geschreven, dank je wel.", "Grazie, bellissimo post.", "haha yes, {0} every single time",
            "omg the bit about {0} 😂", "idk man, {0} seems overrated to me", "yesss finally someone said it",
        ];
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, random.Pick(lines), Noun(random));
    }

    /// <summary>Ordinary comments with the words and links spam is made of.</summary>
    static string HardHam(Random random)
    {
        var price = random.Next(5, 900);
        string[] shops = ["https://www.amazon.com/dp/B0{0}", "https://www.ebay.co.uk/itm/{0}", "https://www.ikea.com/gb/en/p/{0}", "https://www.bbc.co.uk/news/uk-{0}", "https://www.theguardian.com/money/{0}", "https://www.nhs.uk/medicines/ibuprofen-for-adults/"];
        var shop = string.Format(System.Globalization.CultureInfo.InvariantCulture, random.Pick(shops), random.Next(10000, 99999));
        return random.Next(13) switch
        {
            0 => $"I paid ${price} for mine and it has been worth every penny.",
            1 => $"Ours cost about £{price} second hand; this one is close enough: {shop}",
            2 => $"My {random.Pick(new[] { "mum", "dad", "partner", "neighbour" })} takes {random.Pick(new[] { "ibuprofen", "paracetamol", "insulin", "antihistamines", "statins" })} every day; ask a pharmacist before mixing it with anything.",
            3 => "Working from home has been good for my back and terrible for my social life.",
            4 => "Anyone promising guaranteed returns on bitcoin is lying. I lost money in 2022 and learned that the hard way.",
            5 => $"The old casino by the pier closed in {random.Next(1950, 2010)}; my grandfather worked the door there.",
            6 => $"We put a small bet on the match every year, loser buys dinner. Last year it was {random.Next(5, 40)} quid.",
            7 => $"The article about it is here if anyone wants the details: {shop}",
            8 => "Free tickets for under-12s this weekend, and the bonus exhibition is worth the trip. Discount if you book online.",
            9 => $"Took out a loan from the credit union for {Noun(random)}, much better rate than the bank offered.",
            // People link their own blogs and small shops, on made-up domains much like spam's.
            10 => $"I wrote about {Noun(random)} on my blog last {random.Pick(Seasons)}: {OwnSite(random)}",
            11 => $"Got mine from a small shop in {random.Pick(new[] { "Leeds", "Porto", "Ghent", "Austin", "Bristol" })}, they post worldwide: {OwnSite(random)}",
            _ => $"{Sentence(random)} Photos from our try are here: {OwnSite(random)}",
        };
    }

    static string OwnSite(Random random)
    {
        string[] names = ["annas", "tomwrites", "the-muddy-boots", "kitchen-notes", "northern-lens", "slowcyclist", "bookish-ben", "plotandpen"];
        string[] tlds = ["com", "net", "blog", "co.uk", "org", "shop"];
        string[] paths = ["", "/", $"/{random.Next(2015, 2026)}/notes", "/about", "/gallery"];
        return $"https://{random.Pick(names)}.{random.Pick(tlds)}{random.Pick(paths)}";
    }
}
