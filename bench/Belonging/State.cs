using System.Text.Json;

/// <summary>
/// What the preparation made and the measuring run needs: the sites, and the people with their widget tokens (a token
/// is shown once, when its session starts, so it is handed over in this file).
/// </summary>
sealed record State(
    List<string> Sites,
    Account Reader,
    string ReaderPassword,
    Dictionary<string, string> ReaderTokens,
    Account Followed,
    Account Unfollowed,
    List<Account> ThreadFollowers,
    List<Account> MailFollowers)
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Origin(string site) => $"https://{site}.example";

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Options));

    public static State Load(string path) => JsonSerializer.Deserialize<State>(File.ReadAllText(path), Options)!;
}

/// <summary>An account, with its widget token on the first site (the one where following is measured).</summary>
sealed record Account(long Id, string Email, string Name, string Token);
