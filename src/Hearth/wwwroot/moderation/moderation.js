// The moderation page: queues, decisions, bans and the log, all through the moderators' API with the page's own
// session. Comment HTML comes sanitised from the server; everything else is escaped here before it is shown.
"use strict";
(() => {
  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute("content") ?? "";
  const site = meta("hearth-site");
  const token = meta("hearth-token");
  const api = `/api/v1/sites/${encodeURIComponent(site)}`;
  const app = document.getElementById("app");
  const live = document.getElementById("live");
  const tabs = document.querySelector(".tabs");
  const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

  const QUEUES = [["pending", "Waiting"], ["flagged", "Reported"], ["spam", "Spam"], ["rejected", "Rejected"], ["all", "All"], ["newcomers", "Newcomers"], ["bans", "Bans"], ["log", "Log"]];
  const REASONS = {
    pre_moderation: "Pre-moderation", first_comment: "First comment", suspect_word: "Suspect word", links: "Links",
    duplicate: "Spam run", reports: "Reported by readers", spam_score: "Spam score", shadow_ban: "Shadow ban",
  };
  const DECISIONS = { approve: "Approved", reject: "Rejected", spam: "Marked as spam", notspam: "Marked as not spam" };
  const POLL_MS = 5000;

  const state = { queue: "pending", reason: "", thread: null, author: null, items: [], next: null, current: 0, picked: new Set(), help: false };

  function say(message) {
    live.textContent = "";
    setTimeout(() => { live.textContent = message; }, 30);
    const status = document.getElementById("status");
    if (status) status.textContent = message;
  }

  async function call(path, options = {}) {
    const headers = { Authorization: "Bearer " + token };
    if (options.body) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(api + path, { ...options, headers });
    } catch {
      throw new Error("Could not reach the server. Check the connection and try again.");
    }
    if (response.status === 401) throw new Error("This moderation session has ended. Reload the page to start a new one.");
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || `The server answered ${response.status}.`);
    }
    if (response.status === 204) return null;
    return (response.headers.get("content-type") || "").includes("json") ? response.json() : response.blob();
  }

  function queuePath(cursor) {
    const query = new URLSearchParams({ status: state.queue });
    if (state.reason) query.set("reason", state.reason);
    if (state.thread) query.set("thread", state.thread.id);
    if (state.author) query.set("author", state.author.key);
    if (cursor) query.set("cursor", cursor);
    return "/moderation/queue?" + query;
  }

  function drawTabs() {
    tabs.innerHTML = QUEUES.map(([key, label]) =>
      `<button type="button" data-queue="${key}" aria-current="${state.queue === key ? "page" : "false"}">${label}</button>`).join("");
  }

  // ---- Queues ----------------------------------------------------------------------------------------------------

  async function openQueue() {
    app.setAttribute("aria-busy", "true");
    try {
      const page = await call(queuePath());
      state.items = page.items;
      state.next = page.nextCursor;
      state.current = 0;
      state.picked.clear();
      drawQueue();
    } catch (error) {
      app.innerHTML = `<p class="error" role="alert">${esc(error.message)}</p>`;
    } finally {
      app.setAttribute("aria-busy", "false");
    }
  }

  function drawQueue() {
    const reasons = Object.entries(REASONS).map(([key, label]) =>
      `<option value="${key}"${state.reason === key ? " selected" : ""}>${label}</option>`).join("");
    const chips = (state.thread ? `<span class="chip">Page: ${esc(state.thread.title || state.thread.url)} <button type="button" data-clear="thread" aria-label="Show every page">×</button></span>` : "") +
      (state.author ? `<span class="chip">Author: ${esc(state.author.name)} <button type="button" data-clear="author" aria-label="Show every author">×</button></span>` : "");
    app.innerHTML = `
      <div class="toolbar">
        <label class="pick-all"><input type="checkbox" id="pick-all"> All</label>
        <label>Reason <select id="reason"><option value="">any</option>${reasons}</select></label>
        ${chips}
        <span class="spacer"></span>
        <button type="button" id="help-toggle" class="link" aria-expanded="${state.help}">Shortcuts</button>
      </div>
      <div id="shortcuts" class="shortcuts"${state.help ? "" : " hidden"}>
        <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>a</kbd> approve · <kbd>r</kbd> reject · <kbd>s</kbd> spam ·
        <kbd>x</kbd> select · <kbd>e</kbd> edit · <kbd>?</kbd> show or hide this
      </div>
      <div id="bulk" class="bulk" hidden></div>
      <p id="status" class="status" role="status"></p>
      <div id="items">${state.items.map(card).join("") || empty()}</div>
      ${state.next ? `<button type="button" id="more" class="quiet">Load more</button>` : ""}`;
    drawBulk();
    mark(state.current, false);
  }

  function empty() {
    const filtered = state.reason || state.thread || state.author;
    return `<p class="empty">${filtered ? "Nothing here with these filters." : state.queue === "pending" ? "Nothing is waiting. Well done." : "Nothing here."}</p>`;
  }

  function decisionsFor(item) {
    switch (item.status) {
      case "pending": return ["approve", "reject", "spam"];
      case "spam": return ["notspam", "reject"];
      case "rejected": return ["approve", "spam"];
      default: return ["reject", "spam"];
    }
  }

  const LABELS = { approve: "Approve", reject: "Reject", spam: "Spam", notspam: "Not spam" };
  const KEYS = { approve: "a", reject: "r", spam: "s" };

  function card(item) {
    const a = item.author;
    const reason = item.reason ? `<p class="reason"><strong>${esc(REASONS[item.reason] || item.reason)}</strong>${item.detail ? ": " + esc(item.detail) : ""}</p>` : "";
    const reports = item.reports.length ? `<p class="reports">Readers reported it: ${item.reports.map(esc).join(", ")}</p>` : "";
    const parent = item.parent ? `<blockquote class="parent"><p class="muted">In reply to ${esc(item.parent.authorName || "a deleted comment")}</p>${item.parent.html}</blockquote>` : "";
    const published = item.status === "published";
    const buttons = decisionsFor(item).map((d) =>
      `<button type="button" data-act="${d}" class="${d === "approve" || d === "notspam" ? "primary" : ""}">${LABELS[d]}${KEYS[d] ? ` <kbd>${KEYS[d]}</kbd>` : ""}</button>`).join("") +
      `<button type="button" data-act="edit">Edit</button>` +
      (published && !item.isReply ? `<button type="button" data-act="${item.pinned ? "unpin" : "pin"}">${item.pinned ? "Unpin" : "Pin"}</button>` : "") +
      (published ? `<button type="button" data-act="${item.featured ? "unfeature" : "feature"}">${item.featured ? "Unfeature" : "Feature"}</button>` : "") +
      `<button type="button" data-act="${item.thread.locked ? "unlock" : "lock"}">${item.thread.locked ? "Unlock page" : "Lock page"}</button>` +
      `<button type="button" data-act="ban">Ban</button>` +
      `<button type="button" data-act="delete" class="danger">Delete</button>`;
    const site = /^https?:\/\//i.test(a.website || "") ? ` · <a href="${esc(a.website)}" rel="nofollow noopener" target="_blank">${esc(a.website)}</a>` : "";
    return `<article class="item" id="i${item.id}" data-id="${item.id}" tabindex="-1" aria-label="Comment by ${esc(a.name)}">
      <header>
        <input type="checkbox" class="pick" data-act="pick" aria-label="Select the comment by ${esc(a.name)}"${state.picked.has(item.id) ? " checked" : ""}>
        <span class="who"><strong>${esc(a.name)}</strong> <span class="tag">${esc(a.kind)}</span>${item.firstHere ? ` <span class="tag first">first comment here</span>` : ""}${a.email ? ` <span class="muted">${esc(a.email)}</span>` : ""}${site}</span>
        <button type="button" class="link" data-act="history" title="Everything this person wrote here">${a.published} published · ${a.held} held</button>
        <span class="spacer"></span>
        <span class="state s-${esc(item.status)}">${esc(item.status)}</span>
        ${item.pinned ? `<span class="tag">pinned</span>` : ""}${item.featured ? `<span class="tag">featured</span>` : ""}
        <time datetime="${esc(item.createdAt)}">${esc(when(item.createdAt))}</time>
      </header>
      ${reason}${reports}
      <p class="where">On <a href="${esc(item.thread.url)}" target="_blank" rel="noopener">${esc(item.thread.title || item.thread.url)}</a>${item.thread.locked ? ` <span class="tag">locked</span>` : ""}
        <button type="button" class="link" data-act="thread">only this page</button></p>
      ${parent}
      <div class="body">${item.html}</div>
      ${item.editedByModerator ? `<p class="muted">Edited by a moderator</p>` : ""}
      <div class="actions">${buttons}</div>
    </article>`;
  }

  function itemOf(element) {
    const article = element.closest("article.item");
    return article && state.items.find((i) => i.id === Number(article.dataset.id));
  }

  function mark(index, focus = true) {
    const cards = [...document.querySelectorAll("article.item")];
    if (!cards.length) return;
    state.current = Math.max(0, Math.min(index, cards.length - 1));
    cards.forEach((c, i) => c.classList.toggle("current", i === state.current));
    if (focus) {
      cards[state.current].focus({ preventScroll: true });
      cards[state.current].scrollIntoView({ block: "nearest" });
    }
  }

  function replace(item) {
    const old = document.getElementById("i" + item.id);
    if (!old) return;
    old.outerHTML = card(item);
    mark(state.current, false);
  }

  /** Takes decided items out of a queue they no longer belong in; "all" keeps them with their new state. */
  function settle(ids, status) {
    const gone = state.queue !== "all" && !(state.queue === "flagged" && status === "published");
    for (const id of ids) {
      const item = state.items.find((i) => i.id === id);
      if (!item) continue;
      item.status = status;
      state.picked.delete(id);
      if (gone) {
        state.items = state.items.filter((i) => i.id !== id);
        document.getElementById("i" + id)?.remove();
      } else {
        replace(item);
      }
    }
    if (!state.items.length) document.getElementById("items").innerHTML = empty();
    mark(state.current, document.activeElement?.closest?.("article.item") != null || document.activeElement === document.body);
    drawBulk();
  }

  const MARKED = { pin: "Pinned", unpin: "Unpinned", feature: "Featured", unfeature: "No longer featured" };
  const STATUS_AFTER = { approve: "published", notspam: "published", reject: "rejected", spam: "spam" };

  async function decide(ids, action) {
    if (!ids.length) return;
    try {
      if (ids.length === 1) await call(`/moderation/comments/${ids[0]}/${action}`, { method: "POST" });
      else await call("/moderation/bulk", { method: "POST", body: JSON.stringify({ ids, action }) });
      settle(ids, STATUS_AFTER[action]);
      say(`${DECISIONS[action]}: ${ids.length === 1 ? "1 comment" : ids.length + " comments"}.`);
    } catch (error) {
      say(error.message);
    }
  }

  async function act(item, action, button) {
    try {
      switch (action) {
        case "approve": case "reject": case "spam": case "notspam":
          return await decide([item.id], action);
        case "pin": case "unpin": case "feature": case "unfeature": {
          const comment = await call(`/moderation/comments/${item.id}/${action}`, { method: "POST" });
          item.pinned = !!comment.pinned;
          item.featured = !!comment.featured;
          replace(item);
          return say(`${MARKED[action]}: the comment by ${item.author.name}.`);
        }
        case "lock": case "unlock": {
          const thread = await call(`/moderation/threads/${item.thread.id}/${action}`, { method: "POST" });
          for (const other of state.items.filter((i) => i.thread.id === item.thread.id)) {
            other.thread.locked = thread.locked;
            replace(other);
          }
          return say(thread.locked ? "The page is locked: it takes no new comments." : "The page is open for comments again.");
        }
        case "delete":
          if (!confirm(`Delete the comment by ${item.author.name}? This cannot be undone.`)) return;
          await call(`/moderation/comments/${item.id}`, { method: "DELETE" });
          state.items = state.items.filter((i) => i.id !== item.id);
          document.getElementById("i" + item.id)?.remove();
          if (!state.items.length) document.getElementById("items").innerHTML = empty();
          mark(state.current);
          return say("Deleted.");
        case "edit": return edit(item);
        case "ban": return ban(item, button);
        case "history":
          state.author = { key: item.author.key, name: item.author.name };
          state.queue = "all";
          drawTabs();
          return openQueue();
        case "thread":
          state.thread = item.thread;
          return openQueue();
        case "pick":
          if (state.picked.has(item.id)) state.picked.delete(item.id); else state.picked.add(item.id);
          return drawBulk();
      }
    } catch (error) {
      say(error.message);
    }
  }

  function drawBulk() {
    const bulk = document.getElementById("bulk");
    if (!bulk) return;
    const n = state.picked.size;
    bulk.hidden = n === 0;
    bulk.innerHTML = n === 0 ? "" : `<strong>${n} selected</strong>` +
      ["approve", "reject", "spam", "notspam"].map((d) => `<button type="button" data-bulk="${d}">${LABELS[d]}</button>`).join("") +
      `<button type="button" data-bulk="clear" class="link">Clear</button>`;
    const all = document.getElementById("pick-all");
    if (all) all.checked = n > 0 && n === state.items.length;
  }

  function edit(item) {
    const article = document.getElementById("i" + item.id);
    const body = article.querySelector(".body");
    if (article.querySelector("form.edit")) return;
    body.hidden = true;
    body.insertAdjacentHTML("afterend", `<form class="edit"><label for="e${item.id}">The words, in Markdown. Readers will see "edited by moderator".</label>
      <textarea id="e${item.id}" rows="6">${esc(item.source)}</textarea>
      <div class="actions"><button type="submit" class="primary">Save</button><button type="button" data-cancel>Cancel</button></div></form>`);
    const form = article.querySelector("form.edit");
    const text = form.querySelector("textarea");
    text.focus();
    form.querySelector("[data-cancel]").addEventListener("click", () => { form.remove(); body.hidden = false; article.focus(); });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        const comment = await call(`/moderation/comments/${item.id}`, { method: "PATCH", body: JSON.stringify({ body: text.value }) });
        item.html = comment.html;
        item.source = text.value;
        item.editedByModerator = true;
        replace(item);
        say("Saved. Readers see that a moderator edited it.");
      } catch (error) {
        say(error.message);
      }
    });
  }

  function ban(item) {
    const a = item.author;
    const dialog = document.createElement("dialog");
    dialog.className = "ban";
    dialog.innerHTML = `<form method="dialog">
      <h2>Ban ${esc(a.name)}</h2>
      <fieldset><legend>By</legend>
        ${a.userId != null ? `<label><input type="radio" name="kind" value="user" checked> their account</label>` : ""}
        ${a.email ? `<label><input type="radio" name="kind" value="email"${a.userId == null ? " checked" : ""}> their e-mail address</label>` : ""}
        <label><input type="radio" name="kind" value="ip"${a.userId == null && !a.email ? " checked" : ""}> their connection (address hash)</label>
      </fieldset>
      <label for="ban-days">For</label>
      <select id="ban-days"><option value="1">a day</option><option value="7" selected>a week</option><option value="30">a month</option><option value="0">good</option></select>
      <label for="ban-reason">Reason (they see it)</label>
      <input id="ban-reason" required maxlength="300">
      <label class="check"><input type="checkbox" id="ban-shadow"> Shadow ban: they may go on writing, nobody else sees it</label>
      <p class="error" role="alert"></p>
      <div class="actions"><button type="submit" value="ban" class="danger">Ban</button><button type="submit" value="cancel" formnovalidate>Cancel</button></div>
    </form>`;
    document.body.append(dialog);
    dialog.addEventListener("close", () => dialog.remove());
    dialog.querySelector("form").addEventListener("submit", async (e) => {
      if (e.submitter?.value !== "ban") return;
      e.preventDefault();
      const body = {
        kind: dialog.querySelector("input[name=kind]:checked").value, commentId: item.id,
        reason: dialog.querySelector("#ban-reason").value, days: Number(dialog.querySelector("#ban-days").value),
        shadow: dialog.querySelector("#ban-shadow").checked,
      };
      try {
        await call("/moderation/bans", { method: "POST", body: JSON.stringify(body) });
        dialog.close();
        say(`${a.name} is banned${body.shadow ? " (shadow)" : ""}.`);
      } catch (error) {
        dialog.querySelector(".error").textContent = error.message;
      }
    });
    dialog.showModal();
  }

  async function more() {
    try {
      const page = await call(queuePath(state.next));
      state.items.push(...page.items);
      state.next = page.nextCursor;
      document.getElementById("items").insertAdjacentHTML("beforeend", page.items.map(card).join(""));
      if (!state.next) document.getElementById("more")?.remove();
    } catch (error) {
      say(error.message);
    }
  }

  /** New comments arrive at the top while the moderator works, without moving what they are looking at. */
  async function poll() {
    if (document.hidden || !["pending", "flagged", "spam", "rejected", "all"].includes(state.queue)) return;
    try {
      const page = await call(queuePath());
      const known = new Set(state.items.map((i) => i.id));
      const newest = Math.max(0, ...state.items.map((i) => i.id));
      const fresh = page.items.filter((i) => !known.has(i.id) && i.id > newest);
      if (!fresh.length) return;
      const list = document.getElementById("items");
      if (!state.items.length) list.innerHTML = "";
      state.items.unshift(...fresh);
      list.insertAdjacentHTML("afterbegin", fresh.map(card).join(""));
      state.current += fresh.length;
      mark(state.current, false);
      say(fresh.length === 1 ? "1 new comment to look at." : `${fresh.length} new comments to look at.`);
    } catch {
      // The next round tries again; a lasting problem shows when the moderator acts.
    }
  }

  // ---- Bans and the log ------------------------------------------------------------------------------------------

  async function openBans() {
    try {
      const bans = await call("/moderation/bans");
      app.innerHTML = `<p id="status" class="status" role="status"></p>` + (bans.length === 0 ? `<p class="empty">Nobody is banned.</p>` :
        `<table class="list"><thead><tr><th>Who</th><th>Reason</th><th>Until</th><th>By</th><th></th></tr></thead><tbody>${bans.map((b) => `
          <tr id="b${b.id}"><td>${esc(b.kind === "ip" ? "a connection (address hash)" : b.kind === "user" ? "account " + b.value : b.value)}${b.shadow ? ` <span class="tag">shadow</span>` : ""}</td>
          <td>${esc(b.reason)}</td><td>${b.until ? esc(when(b.until)) : "for good"}</td><td>${esc(b.createdBy)}</td>
          <td><button type="button" data-unban="${b.id}">Unban</button></td></tr>`).join("")}</tbody></table>`);
    } catch (error) {
      app.innerHTML = `<p class="error" role="alert">${esc(error.message)}</p>`;
    }
  }

  async function openLog(q = "") {
    try {
      const entries = await call("/moderation/audit" + (q ? "?q=" + encodeURIComponent(q) : ""));
      app.innerHTML = `<form class="toolbar" id="log-search"><label>Search <input id="log-q" value="${esc(q)}"></label>
          <button type="submit">Search</button><span class="spacer"></span><button type="button" id="csv">Download CSV</button></form>
        <p id="status" class="status" role="status"></p>` +
        (entries.length === 0 ? `<p class="empty">Nothing logged${q ? " for that search" : ""}.</p>` :
        `<table class="list"><thead><tr><th>When</th><th>Who</th><th>What</th><th>Before → after</th></tr></thead><tbody>${entries.map((e) => `
          <tr><td>${esc(when(e.at))}</td><td>${esc(e.actor)}</td><td>${esc(e.action)} ${esc(e.target)}</td>
          <td class="change">${esc(e.before ?? "")}${e.after != null ? " → " + esc(e.after) : ""}</td></tr>`).join("")}</tbody></table>`);
    } catch (error) {
      app.innerHTML = `<p class="error" role="alert">${esc(error.message)}</p>`;
    }
  }

  // ---- Newcomers -------------------------------------------------------------------------------------------------

  // People whose first comment here nobody has answered yet, longest waiting first: a word back is what brings them again.
  async function openNewcomers() {
    try {
      const { newcomers } = await call("/people/newcomers");
      app.innerHTML = `<p id="status" class="status" role="status"></p>` + (newcomers.length === 0
        ? `<p class="empty">Every newcomer's first comment has an answer.</p>`
        : newcomers.map((n) => `<article class="item newcomer" id="n${n.comment.id}">
          <header><span class="who"><strong>${esc(n.name)}</strong> <span class="tag">${esc(n.kind)}</span> <span class="tag first">first comment here</span></span>
            <span class="spacer"></span><time datetime="${esc(n.comment.createdAt)}">${esc(when(n.comment.createdAt))}</time></header>
          <p class="where">On <a href="${esc(n.comment.threadUrl)}" target="_blank" rel="noopener">${esc(n.comment.threadTitle || n.comment.threadUrl)}</a></p>
          <div class="body">${n.comment.html}</div>
          <form class="edit welcome" data-comment="${n.comment.id}" data-name="${esc(n.name)}"><label for="w${n.comment.id}">Your reply to ${esc(n.name)}, in Markdown, posted under your name</label>
            <textarea id="w${n.comment.id}" name="body" rows="3" required></textarea>
            <div class="actions"><button type="submit" class="primary">Reply</button>
              <a class="button" href="${esc(n.comment.threadUrl)}#hearth-thread" target="_blank" rel="noopener">Open the page</a></div></form>
        </article>`).join(""));
    } catch (error) {
      app.innerHTML = `<p class="error" role="alert">${esc(error.message)}</p>`;
    }
  }

  async function downloadCsv() {
    try {
      const blob = await call("/moderation/audit?format=csv");
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = `audit-${site}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    } catch (error) {
      say(error.message);
    }
  }

  function open(queue) {
    state.queue = queue;
    drawTabs();
    if (queue === "bans") return openBans();
    if (queue === "log") return openLog();
    if (queue === "newcomers") return openNewcomers();
    return openQueue();
  }

  // ---- Events ------------------------------------------------------------------------------------------------------

  tabs.addEventListener("click", (e) => {
    const button = e.target.closest("button[data-queue]");
    if (!button) return;
    state.thread = state.author = null;
    state.reason = "";
    open(button.dataset.queue);
  });

  app.addEventListener("click", async (e) => {
    const target = e.target;
    const acting = target.closest("[data-act]");
    if (acting) {
      const item = itemOf(acting);
      if (item) {
        state.current = state.items.indexOf(item);
        mark(state.current, false);
        await act(item, acting.dataset.act, acting);
      }
      return;
    }
    const bulk = target.closest("[data-bulk]");
    if (bulk) {
      if (bulk.dataset.bulk === "clear") {
        state.picked.clear();
        document.querySelectorAll("input.pick").forEach((box) => { box.checked = false; });
        return drawBulk();
      }
      return decide([...state.picked], bulk.dataset.bulk);
    }
    const clear = target.closest("[data-clear]");
    if (clear) {
      state[clear.dataset.clear] = null;
      return openQueue();
    }
    const unban = target.closest("[data-unban]");
    if (unban) {
      try {
        await call(`/moderation/bans/${unban.dataset.unban}`, { method: "DELETE" });
        document.getElementById("b" + unban.dataset.unban)?.remove();
        say("The ban is lifted.");
      } catch (error) {
        say(error.message);
      }
      return;
    }
    if (target.id === "more") return more();
    if (target.id === "csv") return downloadCsv();
    if (target.id === "help-toggle") return toggleHelp();
    if (target.id === "pick-all") {
      if (target.checked) state.items.forEach((i) => state.picked.add(i.id)); else state.picked.clear();
      document.querySelectorAll("input.pick").forEach((box) => { box.checked = target.checked; });
      return drawBulk();
    }
  });

  app.addEventListener("change", (e) => {
    if (e.target.id === "reason") {
      state.reason = e.target.value;
      openQueue();
    }
  });

  app.addEventListener("submit", (e) => {
    if (e.target.id === "log-search") {
      e.preventDefault();
      openLog(document.getElementById("log-q").value.trim());
    }
    if (e.target.matches("form.welcome")) {
      e.preventDefault();
      welcome(e.target);
    }
  });

  // A reply to a newcomer, posted as the moderator: the newcomer then has an answer and leaves the list. A refusal
  // keeps the words where they are, with the reason.
  async function welcome(form) {
    const button = form.querySelector("button[type=submit]");
    const text = form.querySelector("textarea");
    button.disabled = true;
    try {
      const reply = await call(`/people/newcomers/${form.dataset.comment}/reply`, { method: "POST", body: JSON.stringify({ body: text.value }) });
      const name = form.dataset.name;
      // On a site that reads every comment first, the team's own reply waits in the queue like any other.
      const shown = reply.status === "published";
      const article = form.closest("article");
      article.insertAdjacentHTML("afterend", `<p class="done" tabindex="-1">${shown
        ? `You answered ${esc(name)}.`
        : `Your reply to ${esc(name)} waits in the queue, as every comment on this site does.`}</p>`);
      const done = article.nextElementSibling;
      article.remove();
      done.focus();
      say(shown ? `Reply posted. ${name} will see it on the page.` : "Reply saved; approve it in Waiting to show it.");
    } catch (error) {
      button.disabled = false;
      say(error.message);
    }
  }

  function toggleHelp() {
    state.help = !state.help;
    const help = document.getElementById("shortcuts");
    if (help) help.hidden = !state.help;
    document.getElementById("help-toggle")?.setAttribute("aria-expanded", String(state.help));
  }

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest?.("input, textarea, select, dialog")) return;
    if (!["pending", "flagged", "spam", "rejected", "all"].includes(state.queue)) return;
    const item = state.items[state.current];
    const keys = {
      j: () => mark(state.current + 1), k: () => mark(state.current - 1),
      a: () => item && decisionsFor(item).includes("approve") && decide([item.id], "approve"),
      r: () => item && decisionsFor(item).includes("reject") && decide([item.id], "reject"),
      s: () => item && decisionsFor(item).includes("spam") && decide([item.id], "spam"),
      x: () => {
        if (!item) return;
        act(item, "pick");
        const box = document.querySelector(`#i${item.id} input.pick`);
        if (box) box.checked = state.picked.has(item.id);
      },
      e: () => item && edit(item),
      "?": toggleHelp,
    };
    if (keys[e.key]) {
      e.preventDefault();
      keys[e.key]();
    }
  });

  open("pending");
  setInterval(poll, POLL_MS);
})();
