using System.Globalization;

namespace Hearth.Tests.Moderation.SpamFilter;

/// <summary>
/// Spam in nine styles: pharmacy, casino, SEO link drops, crypto and investment scams, "work from home", fake
/// praise with a link, obfuscated spellings (v1agra, c@sino, letters apart, Cyrillic look-alikes), bare links, and
/// hard cases that read like an ordinary comment with one commercial link or a contact to write to.
/// </summary>
public static class SpamWriter
{
    static readonly string[] Drugs = ["viagra", "cialis", "levitra", "tramadol", "xanax", "valium", "oxycodone", "phentermine", "modafinil", "kamagra", "ambien", "adderall"];
    static readonly string[] DrugPitches = ["no prescription required", "overnight shipping", "100% satisfaction", "discreet packaging", "lowest prices guaranteed", "worldwide delivery", "bonus pills with every order", "fda approved"];
    static readonly string[] Services = ["roof repair in {0}", "emergency plumber {0}", "car accident lawyer {0}", "cheap movers in {0}", "teeth whitening {0}", "best SEO company {0}", "locksmith near me", "water damage restoration {0}", "web design agency {0}", "HVAC repair {0}"];
    static readonly string[] Cities = ["Dallas", "Houston", "Phoenix", "Toronto", "Sydney", "London", "Miami", "Denver", "Austin", "Leeds"];
    static readonly string[] Spammy = ["best", "cheap", "pills", "rx", "meds", "casino", "spin", "win", "cash", "loan", "seo", "rank", "crypto", "coin", "trade", "profit", "jobs", "earn", "bet", "deal"];
    static readonly string[] Neutral = ["blue", "star", "north", "smart", "daily", "hub", "zone", "pro", "world", "group", "plus", "shop", "life", "bright", "prime", "solutions"];
    static readonly string[] Tlds = ["com", "com", "com", "net", "xyz", "top", "ru", "info", "biz", "online", "site", "club", "io", "shop"];
    static readonly string[] Hosted = ["{0}.blogspot.com", "sites.google.com/view/{0}", "{0}.wordpress.com", "{0}.github.io", "medium.com/@{0}"];

    public static (string Style, string Body) Write(Random random) => random.OneOf(
        ("pharma", 12, Pharma),
        ("casino", 11, Casino),
        ("seo", 12, Seo),
        ("crypto", 12, Crypto),
        ("work-from-home", 11, WorkFromHome),
        ("fake-praise", 12, FakePraise),
        ("obfuscated", 11, Obfuscated),
        ("link-only", 8, LinkOnly),
        ("hard-spam", 11, HardSpam));

    /// <summary>A made-up spam domain: two words, sometimes digits, a common top-level domain; or a page on a free host.</summary>
    public static string Link(Random random)
    {
        var first = random.Chance(0.6) ? random.Pick(Spammy) : random.Pick(Neutral);
        var name = first + (random.Chance(0.5) ? "-" : "") + random.Pick(random.Chance(0.5) ? Spammy : Neutral)
            + (random.Chance(0.25) ? random.Next(1, 999).ToString(CultureInfo.InvariantCulture) : "");
        var host = random.Chance(0.12) ? string.Format(CultureInfo.InvariantCulture, random.Pick(Hosted), name) : $"{name}.{random.Pick(Tlds)}";
        string[] paths = ["", "/", "/offer", "/promo?ref=" + random.Next(1000, 9999), "/go/" + random.Next(10, 99), "/shop", "/bonus"];
        return $"https://{host}{random.Pick(paths)}";
    }

    static string Pharma(Random random)
    {
        string[] verbs = ["Buy", "Order", "Get", "Purchase", "Shop for"];
        string[] adjectives = ["cheap", "generic", "discount", "low cost", "best price"];
        var drug = random.Pick(Drugs);
        var pitch = string.Join(", ", Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Pick(DrugPitches)));
        var link = Link(random);
        return random.Next(3) switch
        {
            0 => $"{random.Pick(verbs)} {random.Pick(adjectives)} {drug} online - {pitch}. {link}",
            1 => $"[{random.Pick(adjectives)} {drug}]({link}) {pitch}!",
            _ => $"{drug.ToUpperInvariant()} {random.Next(20, 200)}mg from ${random.Next(1, 3)}.{random.Next(10, 99)} per pill. {pitch}. Order here: {link}",
        };
    }

    static string Casino(Random random)
    {
        string[] brands = ["Lucky", "Royal", "Golden", "Mega", "Vegas", "Diamond"];
        string[] kinds = ["Spins", "Jackpot", "Palace", "Slots", "Star", "Fortune"];
        string[] pitches = ["welcome bonus", "no deposit bonus", "instant withdrawal", "live dealer games", "best odds on football", "daily jackpot", "VIP cashback"];
        var brand = random.Pick(brands) + " " + random.Pick(kinds);
        return random.Next(3) switch
        {
            0 => $"{random.Next(100, 500)}% {random.Pick(pitches)} + {random.Next(20, 300)} free spins at {brand}! Play now: {Link(random)}",
            1 => $"Best online casino of {random.Next(2023, 2027)}: {random.Pick(pitches)}, {random.Pick(pitches)}. Sign up at [{brand}]({Link(random)}) and win big.",
            _ => $"Bored? Try {brand}, {random.Pick(pitches)} and sports betting with {random.Pick(pitches)}. {Link(random)}",
        };
    }

    static string Seo(Random random)
    {
        var service = string.Format(CultureInfo.InvariantCulture, random.Pick(Services), random.Pick(Cities));
        return random.Next(3) switch
        {
            0 => $"Good info. If you ever need [{service}]({Link(random)}) we are the best rated in town.",
            1 => $"Thanks for the article! [{service}]({Link(random)}) | [{string.Format(CultureInfo.InvariantCulture, random.Pick(Services), random.Pick(Cities))}]({Link(random)})",
            _ => $"We offer {service} at affordable rates, free quote today: {Link(random)}",
        };
    }

    static string Crypto(Random random)
    {
        string[] names = ["Mrs Olivia Grant", "Mr James Carter", "Expert Williams", "Dr. Helen Brooks", "Anna Trading"];
        string[] contacts = [$"WhatsApp +1 ({random.Next(200, 999)}) {random.Next(100, 999)}-{random.Next(1000, 9999)}", $"telegram @{random.Pick(Spammy)}{random.Pick(Neutral)}{random.Next(10, 99)}", $"email {random.Pick(Neutral)}{random.Next(10, 99)}@gmail.com"];
        var invested = random.Next(5, 50) * 100;
        return random.Next(3) switch
        {
            0 => $"I invested ${invested} with {random.Pick(names)} and got ${invested * random.Next(5, 20)} back in {random.Next(3, 14)} days. Contact on {random.Pick(contacts)}.",
            1 => $"Bitcoin and forex trading with guaranteed profit every week, {random.Next(20, 60)}% returns. Join us: {Link(random)}",
            _ => $"Lost your crypto to a scam? {random.Pick(names)} recovered my funds in {random.Next(2, 9)} days. Reach them on {random.Pick(contacts)}",
        };
    }

    static string WorkFromHome(Random random)
    {
        string[] relatives = ["My aunt", "My neighbour", "My best friend's mom", "My cousin", "A single mother in my town"];
        var amount = random.Next(30, 300) * 100;
        return random.Next(3) switch
        {
            0 => $"{random.Pick(relatives)} makes ${amount} a month working from home on her laptop. Start today, no experience needed: {Link(random)}",
            1 => $"I quit my office job and now earn ${amount / 10} per week online, only {random.Next(2, 5)} hours a day. See how: {Link(random)}",
            _ => $"Easy part time job from home!! Get paid ${random.Next(50, 150)}/hour just by typing. Apply now → {Link(random)}",
        };
    }

    static string FakePraise(Random random)
    {
        string[] praise = ["I must say this is one of the most informative posts I have read", "Hey there! This is my first visit and I am impressed", "Wonderful article, very well written and easy to understand", "I have been browsing online for more than three hours today and never found anything this good", "Thank you for the good writeup, it was a entertainment account it"];
        string[] asks = ["Please visit my site too", "Check out my blog as well", "Have a look at my page", "Feel free to surf to my web page", "I bookmarked it, here is mine"];
        return $"{random.Pick(praise)}. {random.Pick(asks)}: {Link(random)}";
    }

    static string Obfuscated(Random random)
    {
        string[] words = ["viagra", "cialis", "casino", "bitcoin", "loans", "xanax", "slots"];
        var word = Disguise(random, random.Pick(words));
        return random.Next(3) switch
        {
            0 => $"Cheapest {word} online, fast delivery {Link(random)}",
            1 => $"{word} {Disguise(random, "bonus")} today only: {Link(random)}",
            _ => $"Get {word} without {Disguise(random, "prescription")}, order at {Link(random)}",
        };
    }

    /// <summary>One of the spellings spam uses to slip past word lists.</summary>
    static string Disguise(Random random, string word)
    {
        var digits = new Dictionary<char, char> { ['i'] = '1', ['o'] = '0', ['a'] = '4', ['e'] = '3', ['s'] = '5' };
        var cyrillic = new Dictionary<char, char> { ['a'] = 'а', ['o'] = 'о', ['e'] = 'е', ['c'] = 'с', ['p'] = 'р' };
        return random.Next(5) switch
        {
            0 => new string([.. word.Select((c, i) => i > 0 && i < word.Length - 1 && digits.TryGetValue(c, out var d) ? d : c)]),
            1 => word.Contains('a') ? ReplaceFirst(word, 'a', '@') : ReplaceFirst(word, 's', '$'),
            2 => string.Join(random.Chance(0.5) ? " " : ".", word.ToCharArray()),
            3 => new string([.. word.Select(c => cyrillic.GetValueOrDefault(c, c))]),
            // Full-width letters, as some keyboards and copy-paste produce them
            _ => new string([.. word.Select(c => (char)(c - 'a' + '\uFF41'))]),
        };

        static string ReplaceFirst(string word, char from, char to)
        {
            var at = word.IndexOf(from, StringComparison.Ordinal);
            return at < 0 ? word : string.Concat(word.AsSpan(0, at), to.ToString(), word.AsSpan(at + 1));
        }
    }

    static string LinkOnly(Random random)
    {
        var links = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Link(random));
        string[] words = ["", "", "here", "nice", "look", "👉"];
        return $"{random.Pick(words)} {string.Join(random.Chance(0.5) ? " " : "\n", links)}".Trim();
    }

    /// <summary>
    /// Spam that reads like a comment: an ordinary sentence or two with one commercial link, a contact to write to
    /// and no link at all, or a short reaction whose only payload is the website in the author's name.
    /// </summary>
    static string HardSpam(Random random)
    {
        var service = string.Format(CultureInfo.InvariantCulture, random.Pick(Services), random.Pick(Cities));
        var said = random.Chance(0.5) ? HamWriter.Sentence(random) : $"{HamWriter.Sentence(random)} {HamWriter.Sentence(random)}";
        return random.Next(5) switch
        {
            0 => $"{said} By the way, we do {service}, [details here]({Link(random)}).",
            1 => $"{said} I wrote about something similar [on my site]({Link(random)}).",
            2 => $"{said} Message me on telegram if you want to know how I paid off my mortgage in one year.",
            3 => $"{said} {Link(random)}",
            _ => HamWriter.Reaction(random),
        };
    }
}
