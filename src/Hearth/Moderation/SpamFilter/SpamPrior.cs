using Hearth.Conversations;

namespace Hearth.Moderation.SpamFilter;

/// <summary>
/// What every site's filter knows before its moderators have decided anything: a few dozen comments written by
/// hand, spam of the common kinds and ordinary comments, including ordinary ones that talk about money, links,
/// prescriptions or work from home, so that those words alone are not enough. They count at a low weight: a new
/// site catches the obvious, and its own decisions soon outweigh them. Only their words and links are counted;
/// what a site's authors look like (guests, e-mail, websites) differs too much from site to site to assume.
/// </summary>
public static class SpamPrior
{
    /// <summary>Each built-in comment counts as this much of one decided on the site.</summary>
    public const double Weight = 0.75;

    static readonly string[] Spam =
    [
        "Order generic viagra and cialis online, no prescription needed, discreet shipping: [online pharmacy](https://rx-discount-meds.com/order)",
        "Cheapest tramadol and xanax, overnight delivery without prescription https://pillstore24.net",
        "Cheap cialis pills, 80% off, buy now!",
        "Male enhancement supplement, results guaranteed, order discreetly at https://vigor-max.shop",
        "Lose 20 pounds in two weeks with this keto diet pill, doctors hate it https://slim-keto.top",
        "Best casino bonus of the year! 300 free spins and instant withdrawals at https://lucky-spins-casino.com",
        "Play slots and poker for real money, sign up today and grab a $500 welcome bonus: https://jackpot-royale.net/bonus",
        "Online betting tips that win every time, join our VIP group https://sure-odds.bet",
        "I was broke until I found this bitcoin trading bot, now I make $3000 a week. Contact the expert on WhatsApp +44 7700 900123",
        "Invest in crypto with guaranteed 40% monthly returns, withdraw anytime. Visit https://coinprofit-pro.io",
        "Recover your lost crypto funds! Contact the recovery hacker on telegram, fast and trusted.",
        "Earn passive income with our forex signals, 95% accuracy, join the telegram channel today",
        "Make money online from your laptop, no experience required, earn $95 per hour. Details: https://easy-cash-jobs.xyz",
        "Hiring now: part time online job with daily payout, just copy and paste. Apply: https://jobs-payday.online",
        "Nice post. Visit my website for cheap SEO backlinks https://rank-boost-seo.com",
        "Buy instagram followers and likes, fast delivery, real accounts https://followers-shop.net",
        "We offer professional essay writing service, plagiarism free, order now https://essays-fast.org",
        "Get a payday loan today with no credit check and instant approval https://quickloan-now.info",
        "Bad credit? Loans approved in minutes, cash in your account tonight https://cash-advance.biz",
        "Replica rolex watches and designer handbags at wholesale prices https://luxury-replica.ru",
        "Download the latest movies free in HD, no registration https://free-movies-hd.xyz",
        "Watch live football streaming free in HD https://stream-sports-live.top",
        "Hot singles in your area are waiting to chat with you https://date-tonight.online",
        "Thanks for sharing! [best air conditioner repair](https://ac-repair-pros.com) [plumber near me](https://plumber-pros.com)",
        "https://cheap-meds.ru https://casino-spins.xyz https://bet-now.top",
        "CLICK HERE >>> https://win-iphone.info <<< you have been selected to win a free iPhone",
        "Congratulations, you won a $1000 gift card! Claim your prize here https://prize-claim.xyz",
        "Very informative article, keep it up. I have bookmarked your site. Also check my blog https://my-crypto-blog.com",
        "Get unlimited free robux and v-bucks, generator with no human verification https://free-gen.top",
        "Buy cheap essays, homework help and assignment writing 24/7 https://homework-aid.net",
        "Best web design and digital marketing agency, affordable packages, contact us https://web-growth.agency",
        "Need a loan? We give loans at 2% interest to individuals and companies, email us now.",
    ];

    static readonly string[] Ham =
    [
        "Thanks for writing this up, it answered exactly what I was wondering.",
        "I disagree with the second point. In our town the bus lanes made traffic better, not worse.",
        "Does anyone know if the library is open on Sundays during the summer?",
        "Great photos! Which lens did you use for the bridge shot?",
        "My grandmother made this with sour cherries instead of plums, and it works just as well.",
        "The documentation for this is at https://docs.python.org/3/library/asyncio.html if anyone needs it.",
        "You can fix that with `git rebase -i HEAD~3` and squash the commits.",
        "I paid about $40 for mine two years ago and it still works fine.",
        "We tried working from home for a year; the commute savings were real but I missed my colleagues.",
        "The old casino building on the seafront is a museum now, worth a visit.",
        "My doctor changed my prescription last month and the side effects are gone.",
        "Interesting take. There is a similar argument on Wikipedia: https://en.wikipedia.org/wiki/Tragedy_of_the_commons",
        "lol same, my cat does exactly that every morning",
        "Merci pour cet article, très utile !",
        "Danke, genau das habe ich gesucht.",
        "Can you share the source for the numbers in the third paragraph?",
        "This is the clearest explanation of compound interest and loan repayments I have read.",
        "I lost money on crypto in 2022, so I am wary of anyone promising quick returns.",
        "Our club meets every Thursday at seven, new members are welcome.",
        "Agreed, although the council should have asked residents first.",
        "Happy birthday to the blog! Ten years is a long time.",
        "The link in the article is broken, the report moved to https://www.ons.gov.uk/",
        "I'm not sure that's right. The study had only 40 participants.",
        "Following this thread, same problem on my laptop after the update.",
        "What a lovely story, thank you for sharing it.",
        "We planted tomatoes too early this year and lost half of them to frost.",
        "For anyone on Windows: run the installer as administrator, otherwise the path is not set.",
        "I would love to see a follow-up on how the project went.",
        "Voted for this at the meeting, glad it finally passed.",
        "Honestly the ending of the book felt rushed to me.",
        "Nice write-up. The issue is tracked here: https://github.com/dotnet/runtime/issues",
        "Free entry on Saturday for kids under twelve, according to the museum's site.",
        "Buy the paperback, the ebook has formatting problems.",
        "Click the gear icon, then Settings, then Privacy.",
        "Congratulations on the new job!",
        "The bonus chapter at the end is the best part.",
        "My bank charged me a fee for that too; call them and ask for a refund.",
        "Great post, very helpful for beginners like me.",
        "Can confirm, it works on Linux as well.",
        "The recipe says 200 grams but I think it needs more flour.",
        "My son plays poker with his friends on Fridays, only for matches and bragging rights.",
        "I think the online version of the paper had a correction this morning.",
        "Here is the council's page with the new timetable: https://www.leeds.gov.uk/parking",
        "The talk is on YouTube if you missed it: https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "I wrote a longer reply on my own blog, https://notes.janedoe.net/2024/bridges, but in short: I agree.",
        "Map of the route we took: https://www.openstreetmap.org/relation/123456",
        "Relevant section of the spec: https://html.spec.whatwg.org/multipage/forms.html",
        "There's a good explainer on the BBC: https://www.bbc.co.uk/news/science-environment-56837908",
        "See [the MDN docs](https://developer.mozilla.org/en-US/docs/Web/API/fetch) for the options.",
        "Photos from the day are up at https://flickr.com/photos/ourclub/albums",
        "Source for the figures: https://data.worldbank.org/indicator/SP.POP.TOTL",
        "We bought the same tent from https://www.decathlon.co.uk and it survived two storms.",
    ];

    static readonly Lazy<PriorCounts> Built = new(Count);

    public static PriorCounts Counts => Built.Value;

    static PriorCounts Count()
    {
        var renderer = new MarkdownRenderer();
        var tokens = new Dictionary<string, (int Spam, int Ham)>(StringComparer.Ordinal);
        long spamTokens = 0, hamTokens = 0;
        foreach (var (examples, spam) in new[] { (Spam, true), (Ham, false) })
        {
            foreach (var example in examples)
            {
                foreach (var token in SpamFeatures.OfBody(renderer.Render(example).Html))
                {
                    var (s, h) = tokens.GetValueOrDefault(token);
                    if (spam)
                    {
                        tokens[token] = (s + 1, h);
                        spamTokens++;
                    }
                    else
                    {
                        tokens[token] = (s, h + 1);
                        hamTokens++;
                    }
                }
            }
        }
        return new PriorCounts(tokens, spamTokens, hamTokens, tokens.Count);
    }
}

/// <summary>The built-in comments, counted like a site's (before <see cref="SpamPrior.Weight"/> applies).</summary>
public sealed record PriorCounts(IReadOnlyDictionary<string, (int Spam, int Ham)> Tokens, long SpamTokens, long HamTokens, int Vocabulary);
