using System.Globalization;
using System.Text;

/// <summary>Comments as people write them; the same shape as bench/BusyDay and bench/post-realistic.lua draw.</summary>
static class Text
{
    static readonly string[] Syllables =
        ("ba be bi bo bu da de di do du fa fe fi fo fu ga ge gi go gu ka ke ki ko ku la le li lo lu ma me mi mo mu " +
         "na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu").Split(' ');

    static readonly string[] Common = "the a of and to in is that it for was on with as but not this have".Split(' ');

    public static string Comment(Random random)
    {
        var words = 10 + random.Next(141);
        var text = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            var word = random.Next(3) == 0 ? Common[random.Next(Common.Length)]
                : Syllables[random.Next(50)] + Syllables[random.Next(50)] + (random.Next(2) == 0 ? Syllables[random.Next(50)] : "");
            text.Append(i == 0 ? "" : random.Next(12) == 0 ? ". " : " ").Append(random.Next(25) == 0 ? $"*{word}*" : word);
        }
        if (random.Next(5) == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" See [this page](https://site{random.Next(300)}.example/page/{random.Next(1000)}).");
        }
        return text.Append('.').ToString();
    }
}
