using System.Globalization;
using System.Text;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Analytics;

/// <summary>
/// The dashboard's charts as SVG drawn on the server: no script and no library reaches the browser, they obey the
/// page's strict policy, take their colours from the page (light and dark), scale to a phone's width, and each carries
/// a title and a sentence for screen readers, with its table beside it.
/// </summary>
public static class DashboardCharts
{
    const int Width = 720;
    const int Height = 220;
    const int Left = 64;
    const int Bottom = 30;
    const int Top = 22;

    static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Bars of comments per day or week, the newcomers' part at the bottom.</summary>
    public static string Comments(string id, string title, string summary, IReadOnlyList<DayCount> bars)
    {
        // An even top, so that the middle line is a whole number of comments too.
        var most = bars.Count == 0 ? 0 : bars.Max(b => b.Comments);
        var max = most <= 1 ? 2 : (most + 1) / 2 * 2;
        var plotWidth = Width - Left - 8;
        var plotHeight = Height - Top - Bottom;
        var slot = (double)plotWidth / Math.Max(1, bars.Count);
        var bar = Math.Max(1, slot * 0.8);
        var svg = new StringBuilder();
        Frame(svg, id, title, summary, max, plotHeight);
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var x = Left + i * slot + (slot - bar) / 2;
            var newHeight = plotHeight * b.Newcomers / (double)max;
            var returningHeight = plotHeight * b.Returning / (double)max;
            var baseline = Top + plotHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<g><title>{b.Date:yyyy-MM-dd}: {b.Comments} comments, {b.Newcomers} from newcomers</title>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"new\" x=\"{N(x)}\" y=\"{N(baseline - newHeight)}\" width=\"{N(bar)}\" height=\"{N(newHeight)}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"returning\" x=\"{N(x)}\" y=\"{N(baseline - newHeight - returningHeight)}\" width=\"{N(bar)}\" height=\"{N(returningHeight)}\"/></g>");
        }
        foreach (var i in Labelled(bars.Count))
        {
            svg.Append(Label(i, bars.Count, slot, bars[i].Date.ToString("MMM d", CultureInfo.InvariantCulture)));
        }
        return Close(svg);
    }

    /// <summary>Bars of shares from 0 to 100%, one per label.</summary>
    public static string Shares(string id, string title, string summary, IReadOnlyList<(string Label, double? Share)> bars)
    {
        var plotWidth = Width - Left - 8;
        var plotHeight = Height - Top - Bottom;
        var slot = (double)plotWidth / Math.Max(1, bars.Count);
        var bar = Math.Min(80, slot * 0.7);
        var svg = new StringBuilder();
        Frame(svg, id, title, summary, 100, plotHeight, "%");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, share) = bars[i];
            var x = Left + i * slot + (slot - bar) / 2;
            var height = plotHeight * (share ?? 0);
            svg.Append(CultureInfo.InvariantCulture,
                $"<g><title>{E(label)}: {(share is { } s ? N(s * 100) + "%" : "nobody to count")}</title><rect class=\"new\" x=\"{N(x)}\" y=\"{N(Top + plotHeight - height)}\" width=\"{N(bar)}\" height=\"{N(height)}\"/></g>");
        }
        foreach (var i in Labelled(bars.Count))
        {
            svg.Append(Label(i, bars.Count, slot, bars[i].Label));
        }
        return Close(svg);
    }

    /// <summary>
    /// Horizontal bars of counts, one row per label: the reply depths beside their bars; names (the sites) above theirs,
    /// where a long one has the chart's width rather than its margin.
    /// </summary>
    public static string Rows(string id, string title, string summary, IReadOnlyList<(string Label, int Count)> rows, bool labelsAbove = false)
    {
        var row = labelsAbove ? 56 : 34;
        var left = labelsAbove ? 8 : Left;
        var height = Top + rows.Count * row + 4;
        var max = Math.Max(1, rows.Count == 0 ? 0 : rows.Max(r => r.Count));
        var plotWidth = Width - left - 60;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{E(title)}</title><desc id=\"{id}-desc\">{E(summary)}</desc>");
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, count) = rows[i];
            var y = Top + i * row;
            var length = plotWidth * count / (double)max;
            svg.Append(labelsAbove
                ? string.Create(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{y + 18}\">{E(label)}</text><rect class=\"new\" x=\"{left}\" y=\"{y + 28}\" width=\"{N(length)}\" height=\"{row - 36}\"/><text x=\"{N(left + length + 8)}\" y=\"{y + 44}\">{count}</text>")
                : string.Create(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{y + 24}\" text-anchor=\"end\">{E(label)}</text><rect class=\"new\" x=\"{Left}\" y=\"{y + 6}\" width=\"{N(length)}\" height=\"{row - 12}\"/><text x=\"{N(Left + length + 8)}\" y=\"{y + 24}\">{count}</text>"));
        }
        return Close(svg);
    }

    static void Frame(StringBuilder svg, string id, string title, string summary, int max, int plotHeight, string unit = "")
    {
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{E(title)}</title><desc id=\"{id}-desc\">{E(summary)}</desc>");
        foreach (var tick in new[] { 0, max / 2.0, max })
        {
            var y = Top + plotHeight - plotHeight * tick / max;
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"axis\" x1=\"{Left}\" x2=\"{Width - 8}\" y1=\"{N(y)}\" y2=\"{N(y)}\"/><text x=\"{Left - 6}\" y=\"{N(y + 4)}\" text-anchor=\"end\">{N(tick)}{unit}</text>");
        }
    }

    /// <summary>A label under bar i: the first and the last keep inside the chart, however large the type.</summary>
    static string Label(int i, int count, double slot, string text)
    {
        var (x, anchor) = count > 2 && i == 0 ? (Left + i * slot, "start")
            : count > 2 && i == count - 1 ? (Left + (i + 1) * slot, "end")
            : (Left + i * slot + slot / 2, "middle");
        return $"<text x=\"{N(x)}\" y=\"{Height - 6}\" text-anchor=\"{anchor}\">{E(text)}</text>";
    }

    static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    /// <summary>Which bars get a label under them: the first, the last and a few between, so that labels never overlap.</summary>
    static IEnumerable<int> Labelled(int count)
    {
        if (count == 0)
        {
            return [];
        }
        var step = Math.Max(1, (int)Math.Ceiling(count / 4.0));
        var labelled = new SortedSet<int> { 0, count - 1 };
        for (var i = step; i < count - 1; i += step)
        {
            // Not so near the last that the two run into each other.
            if (count - 1 - i >= Math.Max(1, step / 2))
            {
                labelled.Add(i);
            }
        }
        return labelled;
    }
}
