using System.Globalization;
using Hearth.Accounts;
using Hearth.Identity;
using Hearth.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using static Hearth.Accounts.AccountHtml;

namespace Hearth.Sites;

/// <summary>
/// The fields of the settings form as the browser sends them: lists one entry per line, blanks for "none". Settable
/// properties rather than a constructor, because an unticked box is not sent at all.
/// </summary>
public sealed class SiteSettingsForm
{
    public string? Origins { get; set; }
    public string? Moderation { get; set; }
    public string? RequireSignIn { get; set; }
    public string? ListOnProfiles { get; set; }
    public string? CommunityPage { get; set; }
    public string? ListOnExplore { get; set; }
    public string? MaxLinks { get; set; }
    public string? BannedWords { get; set; }
    public string? SuspectWords { get; set; }
    public string? CloseAfterDays { get; set; }
    public string? ReportThreshold { get; set; }
    public string? WelcomeMessage { get; set; }
}

/// <summary>The single sign-on form: a box the owner ticks to say they know the old secret stops working.</summary>
public sealed class SsoRotateForm
{
    public string? Confirm { get; set; }
}

/// <summary>
/// A site's settings as a form for its owners, on the account pages: the same rules as the API and the command line
/// (<see cref="SiteSettingsChange"/>), the same audit entry, and nothing changed when one field is wrong.
/// </summary>
public static class SiteSettingsPage
{
    public static void MapSiteSettingsPage(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/account/moderate/{site}/settings").ExcludeFromDescription();
        pages.MapGet("", ShowAsync);
        // Binding the form checks its anti-forgery token. Each save and each new secret is kept in the audit log (a
        // save with the settings before and after it): counted, like the API's changes.
        pages.MapPost("", SaveAsync).RequireRateLimiting(Web.RateLimits.AccountActions);
        // The form may arrive with nothing but its token (the box unticked): the token is checked either way.
        pages.MapPost("/sso", RotateSsoAsync).AddEndpointFilter<RequireAntiforgery>().RequireRateLimiting(Web.RateLimits.AccountActions);
    }

    static async Task<IResult> ShowAsync(HttpContext http, string site, HearthDb db, TimeProvider clock, CancellationToken ct)
    {
        var (entity, refusal) = await OwnedAsync(http, site, db, ct);
        return refusal ?? await FormAsync(http, db, clock, entity!, null, null, ct: ct);
    }

    static async Task<IResult> SaveAsync(HttpContext http, string site, [FromForm] SiteSettingsForm form, HearthDb db, SiteDirectory sites,
        TimeProvider clock, CancellationToken ct)
    {
        var (entity, refusal) = await OwnedAsync(http, site, db, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var owned = entity!;
        var before = owned.ToSettingsResponse();
        var (request, field, message) = Read(form);
        if (request is not null && SiteSettingsChange.Apply(owned, request) is { } problem)
        {
            (field, message) = problem;
        }
        if (field is not null)
        {
            // Apply changes nothing when it refuses; the form shows what was typed, with the reason.
            return await FormAsync(http, db, clock, owned, form, $"{Label(field)}: {message}", 400, ct: ct);
        }
        var userId = http.User.UserId()!.Value;
        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstAsync(ct);
        db.AuditLog.Add(SiteSettingsChange.Audit(owned, before, userId, name, clock));
        await db.SaveChangesAsync(ct);
        sites.Forget(owned.Name);
        return await FormAsync(http, db, clock, owned, null, null, saved: true, ct: ct);
    }

    /// <summary>
    /// A new single sign-on secret, shown on this answer once and never again in the browser: the page that shows it is
    /// not cached, and the settings page only says whether there is one. The old secret stops working at once.
    /// </summary>
    static async Task<IResult> RotateSsoAsync(HttpContext http, string site, [FromForm] SsoRotateForm? form, HearthDb db, SsoSecrets secrets,
        TimeProvider clock, CancellationToken ct)
    {
        var (entity, refusal) = await OwnedAsync(http, site, db, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var owned = entity!;
        if (owned.SsoSecret is not null && form?.Confirm != "on")
        {
            return await FormAsync(http, db, clock, owned, null, "Single sign-on: tick the box to confirm. Your site's sign-ins stop working until it uses the new secret.", 400, ct: ct);
        }
        var userId = http.User.UserId()!.Value;
        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstAsync(ct);
        var secret = await SsoSecretRotation.RotateAsync(db, secrets, owned, userId, name, clock.GetUtcNow().UtcDateTime, ct);
        var back = $"/account/moderate/{Uri.EscapeDataString(owned.Name)}/settings";
        return Page(http, $"Single sign-on for {owned.Name}", $"""
            <p role="status">Here is the site's new secret. <strong>Copy it now</strong>: this page shows it once, and Hearth never shows it again in the browser.</p>
            <pre class="snippet"><code id="sso-secret">{E(secret)}</code></pre>
            <p class="hint">Your site signs its sign-in tokens with it (HMAC-SHA256); see the README's single sign-on section. Tokens signed with the old secret no longer work, and people signed in with them are signed out.</p>
            <p><a href="{back}">Back to the settings</a></p>
            """);
    }

    static async Task<(Site? Site, IResult? Refusal)> OwnedAsync(HttpContext http, string name, HearthDb db, CancellationToken ct)
    {
        var (member, refusal) = await ConsoleAccess.RequireAsync(http, name, db, owner: true, "settings", ct);
        return (member?.Site, refusal);
    }

    static (SiteSettingsRequest? Request, string? Field, string? Message) Read(SiteSettingsForm form)
    {
        static List<string> Lines(string? text) =>
            [.. (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        static bool Number(string? text, int none, out int value)
        {
            value = none;
            return string.IsNullOrWhiteSpace(text) || int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }
        if (!Number(form.MaxLinks, -1, out var maxLinks))
        {
            return (null, "maxLinks", "give a whole number, or leave it empty for no limit.");
        }
        if (!Number(form.CloseAfterDays, 0, out var closeAfter))
        {
            return (null, "closeAfterDays", "give a whole number of days, or leave it empty to keep threads open.");
        }
        if (!Number(form.ReportThreshold, -1, out var threshold) || threshold == -1)
        {
            return (null, "reportThreshold", "give a whole number from 1 to 100.");
        }
        return (new SiteSettingsRequest(Lines(form.Origins), form.Moderation, form.ListOnProfiles == "on", form.RequireSignIn == "on",
            maxLinks, Lines(form.BannedWords), Lines(form.SuspectWords), closeAfter, threshold, form.WelcomeMessage ?? "",
            form.CommunityPage == "on", form.ListOnExplore == "on"), null, null);
    }

    static string Label(string field) => field switch
    {
        "origins" => "Origins",
        "moderation" => "Moderation",
        "maxLinks" => "Links per comment",
        "closeAfterDays" => "Close threads after",
        "reportThreshold" => "Reports that hold a comment",
        "welcomeMessage" => "Welcome message",
        _ => field,
    };

    static async Task<IResult> FormAsync(HttpContext http, HearthDb db, TimeProvider clock, Site site, SiteSettingsForm? typed, string? error, int status = 200,
        bool saved = false, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var imports = (await db.ImportJobs.AsNoTracking().Where(j => j.SiteId == site.Id).OrderByDescending(j => j.Id).Take(5).ToListAsync(ct))
            .Select(j => Portability.ImportUploads.Response(j, now)).ToList();
        var f = typed ?? new SiteSettingsForm
        {
            Origins = string.Join('\n', site.Origins),
            Moderation = site.Moderation.ToString().ToLowerInvariant(),
            RequireSignIn = site.RequireSignIn ? "on" : null,
            ListOnProfiles = site.ListOnProfiles ? "on" : null,
            CommunityPage = site.CommunityPage ? "on" : null,
            ListOnExplore = site.ListOnExplore ? "on" : null,
            MaxLinks = site.MaxLinks?.ToString(CultureInfo.InvariantCulture),
            BannedWords = string.Join('\n', site.BannedWords),
            SuspectWords = string.Join('\n', site.SuspectWords),
            CloseAfterDays = site.CloseAfterDays?.ToString(CultureInfo.InvariantCulture),
            ReportThreshold = site.ReportThreshold.ToString(CultureInfo.InvariantCulture),
            WelcomeMessage = site.WelcomeMessage,
        };
        string Mode(string value, string label, string hint) =>
            $"""<label><input type="radio" name="moderation" value="{value}"{(f.Moderation == value ? " checked" : "")}> <span>{label} <span class="hint">· {hint}</span></span></label>""";
        string Box(string name, string? value, string label) =>
            $"""<label><input type="checkbox" name="{name}"{(value == "on" ? " checked" : "")}> {label}</label>""";
        var back = $"/account/moderate/{Uri.EscapeDataString(site.Name)}";
        return Page(http, $"Settings of {site.Name}", $"""
            {(saved ? "<p role=\"status\" id=\"saved\">Saved. Every change is in the site's log.</p>" : "")}
            {Error(error)}
            <form method="post" action="{back}/settings">{Csrf(http)}
            <fieldset><legend>Moderation</legend>
            {Mode("post", "Publish at once", "moderators look afterwards")}
            {Mode("first", "Hold a person's first comment", "later ones publish")}
            {Mode("pre", "Hold every comment", "until a moderator approves it")}
            </fieldset>
            <fieldset><legend>Who may comment</legend>
            {Box("requireSignIn", f.RequireSignIn, "Only people who are signed in")}
            {Box("listOnProfiles", f.ListOnProfiles, "Show comments made here on people's public pages")}
            </fieldset>
            <fieldset><legend>Community</legend>
            {Box("communityPage", f.CommunityPage, $"Publish the <a href=\"/sites/{Uri.EscapeDataString(site.Name)}/community\">community page</a> <span class=\"hint\">· lively conversations, top contributors, newcomers and regulars, by the names they comment under</span>")}
            {Box("listOnExplore", f.ListOnExplore, "List this site's liveliest conversations on <a href=\"/explore\">Explore</a>")}
            </fieldset>
            <label for="origins">Origins (the sites the comments are embedded on), one per line</label>
            <textarea id="origins" name="origins" rows="3">{E(f.Origins)}</textarea>
            <label for="maxLinks">Links per comment <span class="hint">more are held; empty for no limit</span></label>
            <input id="maxLinks" name="maxLinks" inputmode="numeric" value="{E(f.MaxLinks)}">
            <label for="bannedWords">Banned words or phrases, one per line <span class="hint">such a comment is never shown</span></label>
            <textarea id="bannedWords" name="bannedWords" rows="4">{E(f.BannedWords)}</textarea>
            <label for="suspectWords">Suspect words or phrases, one per line <span class="hint">such a comment waits for a moderator</span></label>
            <textarea id="suspectWords" name="suspectWords" rows="4">{E(f.SuspectWords)}</textarea>
            <label for="closeAfterDays">Close threads after this many days <span class="hint">empty to keep them open</span></label>
            <input id="closeAfterDays" name="closeAfterDays" inputmode="numeric" value="{E(f.CloseAfterDays)}">
            <label for="reportThreshold">Readers' reports that take a comment down until a moderator looks</label>
            <input id="reportThreshold" name="reportThreshold" inputmode="numeric" value="{E(f.ReportThreshold)}">
            <label for="welcomeMessage">Welcome message <span class="hint">sent to the inbox of someone with an account when their first comment here is published; empty to send none</span></label>
            <textarea id="welcomeMessage" name="welcomeMessage" rows="3" maxlength="{SiteSettingsChange.WelcomeMessageLimit}">{E(f.WelcomeMessage)}</textarea>
            <button type="submit">Save settings</button>
            </form>
            <h2 id="sso">Single sign-on</h2>
            <p>{(site.SsoSecret is null ? "Not set up: your site's own sign-in cannot sign people in here yet." : "Set up: your site signs people in with its secret.")}</p>
            <form method="post" action="{back}/settings/sso">{Csrf(http)}
            {(site.SsoSecret is null ? "" : "<label><input type=\"checkbox\" name=\"confirm\"> I understand: the old secret stops working at once</label>")}
            <button type="submit">{(site.SsoSecret is null ? "Make a secret" : "Make a new secret")}</button>
            </form>
            <h2 id="import">Import</h2>
            <p>Bring the conversations of another system here: the export file of Disqus, WordPress or Blogger, as <code>hearth import</code> reads it, or a Hearth export (JSON) to move a site between instances with what moderators decided. Comments already here stay as they are, and importing the same file again adds nothing twice. A big file takes a while; you may leave this page and come back.</p>
            <form id="import-form" data-action="{back}/imports">
            <label for="import-file">The export file (XML, or JSON from Hearth)</label>
            <input id="import-file" name="file" type="file" accept=".xml,.json,application/xml,text/xml,application/json" required>
            <fieldset><legend>It comes from</legend>
            <label><input type="radio" name="format" value="disqus" checked> Disqus</label>
            <label><input type="radio" name="format" value="wordpress"> WordPress (WXR)</label>
            <label><input type="radio" name="format" value="blogger"> Blogger</label>
            <label><input type="radio" name="format" value="hearth"> Hearth (its own JSON export, from this or another instance)</label>
            </fieldset>
            <label for="import-map">Pages that moved <span class="hint">one per line, OLD=NEW, e.g. https://old.example/=https://blog.example/</span></label>
            <textarea id="import-map" rows="2"></textarea>
            <label><input type="checkbox" id="import-dry"> Only tell me what would happen <span class="hint">· nothing is written</span></label>
            <button type="submit">Import</button>
            </form>
            <p id="import-status" role="status" aria-live="polite"></p>
            <progress id="import-progress" max="1" value="0" hidden></progress>
            <ul class="people" id="imports">{string.Concat(imports.Select(j => ImportItem(site, j)))}</ul>
            <h2 id="export">Export</h2>
            <p>Everything the site holds, to keep or to take elsewhere: the same files as <code>hearth export</code>. They hold the addresses guests gave: keep them as private as this page. Each download is in the site's log.</p>
            <ul>
            <li><a href="{back}/export/hearth.json" download>Hearth's own JSON</a> <span class="hint">· every thread, comment and person, with its status</span></li>
            <li><a href="{back}/export/disqus.xml" download>Disqus XML</a> <span class="hint">· for another comment system; published comments</span></li>
            <li><a href="{back}/export/disqus-all.xml" download>Disqus XML with held and rejected comments</a> <span class="hint">· those marked as spam</span></li>
            </ul>
            <p class="muted"><a href="{back}">Back to moderating</a> · <a href="{back}/team">Team</a> · <a href="{back}/dashboard">Dashboard</a></p>
            """, script: ImportScript, status: status);
    }

    static string ImportUrl(Site site, long id) => $"/account/moderate/{Uri.EscapeDataString(site.Name)}/imports/{id}";

    static string ImportItem(Site site, Portability.ImportJobResponse job) => $"""
        <li data-import="{job.Id}"{(job.Status is "running" or "uploading" ? $" data-going=\"{E(ImportUrl(site, job.Id))}\"" : "")}><p><span class="name">{E(job.FileName)}</span> <span class="badge">{E(job.Status)}</span> <span class="muted">· {E(job.Format)}{(job.DryRun ? ", dry run" : "")} · {job.StartedAt:yyyy-MM-dd HH:mm} UTC</span></p>
        {(job.Error is null ? "" : $"<p class=\"error\">{E(job.Error)}</p>")}{(job.Summary.Count == 0 ? "" : $"<pre class=\"snippet\">{E(string.Join('\n', job.Summary))}</pre>")}</li>
        """;

    /// <summary>
    /// Sends the file as the request's body with the page's anti-forgery token in a header (no form is buffered on the
    /// server, whatever the file's size), shows the upload's progress, then polls the run until its summary.
    /// </summary>
    const string ImportScript = """
        const form = document.getElementById("import-form");
        const status = document.getElementById("import-status");
        const bar = document.getElementById("import-progress");
        const say = (text, done, total) => {
          status.textContent = text;
          bar.hidden = !(total > 0);
          if (total > 0) { bar.max = total; bar.value = Math.min(done, total); }
        };
        const phases = { "receiving the file": "Receiving the file", "waiting for another import on this server": "Waiting for another import on this server to finish", "reading": "Reading the file", "resolving": "Rebuilding the conversations", "writing": "Writing comments",
          "counting people": "Counting people", "telling readers": "Telling readers", "cleaning up": "Cleaning up", "starting": "Starting" };
        const poll = async (url) => {
          const r = await fetch(url, { headers: { Accept: "application/json" } }).catch(() => null);
          const type = r ? r.headers.get("Content-Type") || "" : "";
          if (r && (r.ok || r.status >= 500) && !type.includes("json")) { say("You were signed out: sign in again, then open this page to follow the import.", 0, 0); return; }
          if (r && r.status >= 400 && r.status < 500) { say("This import cannot be followed from here any more.", 0, 0); form.querySelector("button").disabled = false; return; }
          if (!r || !r.ok) { setTimeout(() => poll(url), 2000); return; }
          const job = await r.json();
          if (job.status === "running") {
            const phase = phases[job.phase] || job.phase;
            say(job.total > 0 && job.phase === "writing" ? `${phase}: ${job.done.toLocaleString()} of ${job.total.toLocaleString()}` : phase + "…", job.done, job.total);
            setTimeout(() => poll(url), 1000);
            return;
          }
          say(job.status === "done" ? (job.dryRun ? "Dry run finished: nothing was written." : "Import finished.") : job.error || "The import stopped.", 0, 0);
          const item = document.createElement("li");
          const pre = document.createElement("pre");
          pre.className = "snippet";
          pre.id = "import-summary";
          pre.textContent = job.summary.join("\n");
          if (job.summary.length) item.append(pre);
          if (job.error) { const p = document.createElement("p"); p.className = "error"; p.textContent = job.error; item.append(p); }
          document.querySelector(`#imports li[data-import="${job.id}"]`)?.remove();
          document.getElementById("imports").prepend(item);
          form.querySelector("button").disabled = false;
        };
        // A run still going when the page opened (the page was left, or reloaded) is followed again.
        const going = document.querySelector("#imports li[data-going]");
        if (going) { form.querySelector("button").disabled = true; say("An import is going on…", 0, 0); poll(going.dataset.going); }
        form.addEventListener("submit", (e) => {
          e.preventDefault();
          const file = document.getElementById("import-file").files[0];
          if (!file) return;
          const query = new URLSearchParams({ format: form.querySelector("input[name=format]:checked").value, name: file.name,
            dryRun: document.getElementById("import-dry").checked ? "true" : "false" });
          for (const line of document.getElementById("import-map").value.split("\n")) if (line.trim()) query.append("map", line.trim());
          const request = new XMLHttpRequest();
          request.open("POST", form.dataset.action + "?" + query);
          request.setRequestHeader("Content-Type", "application/octet-stream");
          request.setRequestHeader("X-CSRF", document.querySelector("input[name=csrf]").value);
          request.upload.onprogress = (p) => say(`Sending the file: ${Math.round(100 * p.loaded / Math.max(1, p.total))}%`, p.loaded, p.total);
          request.onload = () => {
            let answer = {};
            try { answer = JSON.parse(request.responseText); } catch { }
            if (request.status === 202) { say("Starting…", 0, 0); poll(request.getResponseHeader("Location")); return; }
            say(answer.errors ? Object.entries(answer.errors).map(([field, why]) => `${field}: ${why.join(" ")}`).join(" ") : answer.detail || `The server answered ${request.status}.`, 0, 0);
            form.querySelector("button").disabled = false;
          };
          request.onerror = () => { say("The file could not be sent: check the connection and try again.", 0, 0); form.querySelector("button").disabled = false; };
          form.querySelector("button").disabled = true;
          say("Sending the file…", 0, 0);
          request.send(file);
        });
        """;
}
