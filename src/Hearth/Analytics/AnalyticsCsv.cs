using System.Globalization;
using System.Text;

namespace Hearth.Analytics;

/// <summary>Each table of a report as CSV, the same rows the dashboard shows, for a spreadsheet.</summary>
public static class AnalyticsCsv
{
    public static readonly string[] Tables = ["days", "weeks", "retention", "depths", "conversations", "contributors"];

    public static string Write(AnalyticsReport report, string table)
    {
        var csv = new StringBuilder();
        void Row(params object?[] cells) => csv.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");
        switch (table)
        {
            case "days":
            case "weeks":
                Row(table == "days" ? "date" : "week", "comments", "newcomers", "returning", "views");
                foreach (var d in table == "days" ? report.Days : report.Weeks)
                {
                    Row(d.Date, d.Comments, d.Newcomers, d.Returning, d.Views);
                }
                break;
            case "retention":
                Row("month", "newcomers", "came_back", "share", "complete");
                foreach (var r in report.Retention)
                {
                    Row(r.Month, r.Newcomers, r.CameBack, r.Share, r.Complete);
                }
                break;
            case "depths":
                Row("depth", "comments");
                foreach (var d in report.Depths)
                {
                    Row(d.Depth, d.Comments);
                }
                break;
            case "conversations":
                Row("url", "title", "comments", "people", "replied_to_each_other", "views");
                foreach (var t in report.TopConversations)
                {
                    Row(t.Url, t.Title, t.Comments, t.People, t.Conversation, t.Views);
                }
                break;
            case "contributors":
                Row("name", "kind", "comments", "replies_given", "replies_received", "new");
                foreach (var p in report.TopContributors)
                {
                    Row(p.Name, p.Kind, p.Comments, p.RepliesGiven, p.RepliesReceived, p.New);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(table), table, null);
        }
        return csv.ToString();
    }

    internal static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            bool b => b ? "true" : "false",
            double d => d.ToString("0.####", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        // A name people typed must stay text in a spreadsheet, never become a formula.
        if (value is string && text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
