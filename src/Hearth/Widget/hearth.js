// The Hearth widget: renders a thread inside a shadow root on the host page, lets guests write, reply,
// edit, delete and vote, and follows the thread live over Server-Sent Events. No framework, no third party.
// @ts-check
(() => {
  "use strict";

  /** Every UI string, one table per language. "{n}" and "{name}" are filled in. */
  const STRINGS = {
    en: {
      comments: ["{n} comment", "{n} comments"], sortBy: "Sort by", best: "Best", newest: "Newest", oldest: "Oldest",
      write: "Write", preview: "Preview", post: "Post comment", posting: "Posting…", reply: "Reply", cancel: "Cancel",
      edit: "Edit", save: "Save", remove: "Delete", confirmRemove: "Really delete?", name: "Name",
      email: "E-mail (optional)", emailNote: "Your e-mail address is never shown.", notify: "E-mail me replies", checkInbox: "Check your inbox to confirm reply e-mails.", website: "Website (optional)", body: "Your comment",
      placeholder: "Join the conversation. Markdown works.", replyTo: "Reply to {name}", loadMore: "Load more comments",
      newComments: ["Show {n} new comment", "Show {n} new comments"], inReplyTo: "in reply to {name}",
      deleted: "This comment was deleted.", edited: "edited", pending: "Awaiting moderation: only you can see this for now.",
      up: "Upvote", down: "Downvote", points: ["{n} point", "{n} points"], empty: "No comments yet. Start the conversation.",
      nothingToPreview: "Nothing to preview yet.", loadFailed: "The comments could not be loaded.", retry: "Try again",
      network: "Could not reach the server. Check your connection and try again.",
      rate_limited: "You are going a little fast. Please wait a moment and try again.",
      "validation:body": "Please write something first.", tooLong: "That is {n} characters: a comment may have at most {max}.",
      notHere: "Comments are not available on this page yet.", loadingPreview: "Loading preview…",
      "validation:author.name": "Please give a name (at most 80 characters).",
      "validation:author.email": "That e-mail address does not look right.",
      "validation:author.website": "The website must start with http:// or https://.",
      edit_window_closed: "The time for changes to this comment is over.", edit_token_invalid: "Only the author can change this comment.",
      thread_locked: "This conversation is closed to new comments.", comment_deleted: "This comment has been deleted.",
      request_too_large: "The comment is too long.", failed: "Something went wrong. Please try again.",
      announceNew: "{n} new comments arrived.", posted: "Your comment was posted.", by: "Comment by {name}",
      signedIn: "Commenting as {name}", ssoFailed: "Signing in through this site did not work: you can comment as a guest.",
      signIn: "Sign in", signOut: "Sign out", signedOut: "You were signed out. Sign in again, or comment as a guest.",
      orGuest: "or comment as a guest:", "badge:author": "Author", "badge:moderator": "Moderator", "badge:staff": "Staff", "badge:regular": "Regular", "badge:newcomer": "New here",
      "badge:verified-buyer": "Verified buyer", report: "Report", reportWhy: "Why should a moderator look at this?",
      send: "Send", reported: "Thank you. A moderator will look at it.", spam: "Spam", abuse: "Abusive", "off-topic": "Off-topic", other: "Something else",
      pinned: "Pinned", featured: "Featured", modEdited: "edited by moderator", moderator_edited: "A moderator has edited this comment; it can no longer be changed.",
    },
    de: {
      comments: ["{n} Kommentar", "{n} Kommentare"], sortBy: "Sortieren nach", best: "Beste", newest: "Neueste", oldest: "Älteste",
      write: "Schreiben", preview: "Vorschau", post: "Kommentar senden", posting: "Wird gesendet…", reply: "Antworten", cancel: "Abbrechen",
      edit: "Bearbeiten", save: "Speichern", remove: "Löschen", confirmRemove: "Wirklich löschen?", name: "Name",
      email: "E-Mail (freiwillig)", emailNote: "Deine E-Mail-Adresse wird nie gezeigt.", notify: "Antworten per E-Mail", checkInbox: "Bestätige die Antworten per E-Mail mit dem Link in deinem Postfach.", website: "Website (freiwillig)", body: "Dein Kommentar",
      placeholder: "Mach mit beim Gespräch. Markdown funktioniert.", replyTo: "Antwort an {name}", loadMore: "Weitere Kommentare laden",
      newComments: ["{n} neuen Kommentar zeigen", "{n} neue Kommentare zeigen"], inReplyTo: "als Antwort an {name}",
      deleted: "Dieser Kommentar wurde gelöscht.", edited: "bearbeitet", pending: "Wartet auf Freigabe: vorerst siehst nur du ihn.",
      up: "Positiv bewerten", down: "Negativ bewerten", points: ["{n} Punkt", "{n} Punkte"], empty: "Noch keine Kommentare. Fang das Gespräch an.",
      nothingToPreview: "Noch nichts für die Vorschau.", loadFailed: "Die Kommentare konnten nicht geladen werden.", retry: "Erneut versuchen",
      network: "Der Server ist nicht erreichbar. Prüfe die Verbindung und versuche es erneut.",
      rate_limited: "Das ging etwas schnell. Bitte warte einen Moment und versuche es erneut.",
      "validation:body": "Bitte schreib zuerst etwas.", tooLong: "Das sind {n} Zeichen: ein Kommentar darf höchstens {max} haben.",
      notHere: "Kommentare gibt es auf dieser Seite noch nicht.", loadingPreview: "Vorschau wird geladen…",
      "validation:author.name": "Bitte gib einen Namen an (höchstens 80 Zeichen).",
      "validation:author.email": "Diese E-Mail-Adresse sieht nicht richtig aus.",
      "validation:author.website": "Die Website muss mit http:// oder https:// beginnen.",
      edit_window_closed: "Die Zeit für Änderungen an diesem Kommentar ist vorbei.", edit_token_invalid: "Nur die Person, die ihn geschrieben hat, kann ihn ändern.",
      thread_locked: "Dieses Gespräch ist für neue Kommentare geschlossen.", comment_deleted: "Dieser Kommentar wurde gelöscht.",
      request_too_large: "Der Kommentar ist zu lang.", failed: "Etwas ist schiefgegangen. Bitte versuche es erneut.",
      announceNew: "{n} neue Kommentare sind da.", posted: "Dein Kommentar wurde veröffentlicht.", by: "Kommentar von {name}",
      signedIn: "Du schreibst als {name}", ssoFailed: "Die Anmeldung über diese Website hat nicht geklappt: du kannst als Gast schreiben.",
      signIn: "Anmelden", signOut: "Abmelden", signedOut: "Du wurdest abgemeldet. Melde dich wieder an oder schreib als Gast.",
      orGuest: "oder als Gast schreiben:", "badge:author": "Autor·in", "badge:moderator": "Moderation", "badge:staff": "Team", "badge:regular": "Stammgast", "badge:newcomer": "Neu hier",
      "badge:verified-buyer": "Verifizierter Kauf", report: "Melden", reportWhy: "Warum sollte die Moderation sich das ansehen?",
      send: "Senden", reported: "Danke. Die Moderation sieht es sich an.", spam: "Spam", abuse: "Beleidigend", "off-topic": "Am Thema vorbei", other: "Etwas anderes",
      pinned: "Angeheftet", featured: "Empfohlen", modEdited: "von der Moderation bearbeitet", moderator_edited: "Die Moderation hat diesen Kommentar bearbeitet; er lässt sich nicht mehr ändern.",
    },
  };
  /** Replies deeper than this are shown at this depth, marked "in reply to NAME". */
  const MAX_DEPTH = 3;
  /** The server's limit (CommentInput.MaxBodyLength); a counter shows from MAX_BODY - 1000 characters on. */
  const MAX_BODY = 10000;
  const store = {
    get(key, fallback) { try { return JSON.parse(localStorage.getItem("hearth:" + key) || "") || fallback; } catch { return fallback; } },
    set(key, value) {
      try {
        // A cleared draft is forgotten rather than kept as "", so the host site's storage does not fill up.
        if (value === "") localStorage.removeItem("hearth:" + key);
        else localStorage.setItem("hearth:" + key, JSON.stringify(value));
      } catch { /* private mode */ }
    },
  };

  /**
   * Creates an element. Text is always set as text: only server-sanitised comment HTML goes in as HTML.
   * @param {string} tag @param {Record<string, any>} [props] @param {...(Node|string|false|null|undefined)} kids
   */
  function h(tag, props, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "class") el.className = v;
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const kid of kids) if (kid != null && kid !== false) el.append(kid);
    return el;
  }

  /** Text made safe to put between tags and inside double-quoted attributes. */
  const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

  class Thread {
    constructor(o) {
      this.o = o;
      const lang = STRINGS[o.lang] ? o.lang : "en";
      this.lang = lang;
      this.s = STRINGS[lang];
      this.plural = new Intl.PluralRules(lang);
      this.relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
      this.exact = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "short" });
      this.sort = store.get("sort", "best");
      this.comments = new Map();
      /** For a top-level comment whose replies came only in part: the last of them the server gave, where the next part starts. */
      this.tail = new Map();
      this.order = [];
      this.held = [];
      this.tokens = store.get("tokens", {});
      this.votes = store.get("votes", {});
      this.guest = store.get("guest", {});
      this.lastEventId = 0;
      this.nextCursor = null;
      // Drafts belong to one thread: every page of the host site shares this storage.
      this.key = o.where.get("identifier") || o.where.get("url");
      this.root = o.el.shadowRoot || o.el.attachShadow({ mode: "open" });
      this.box = h("div", { class: "hearth", "data-theme": o.theme, lang, hidden: true });
      // The loader has usually put the stylesheet in already. Until it is in (or has failed) the box stays hidden,
      // so the thread never flashes up unstyled and then jumps.
      const show = () => this.box.removeAttribute("hidden");
      let link = /** @type {HTMLLinkElement|null} */ (this.root.querySelector("link[rel=stylesheet]"));
      if (!link) this.root.append((link = h("link", { rel: "stylesheet", href: o.css })));
      if (link.sheet) show();
      else {
        link.addEventListener("load", show);
        link.addEventListener("error", show);
      }
      this.root.querySelector(".hearth")?.remove(); // a second start on the same element replaces the first
      this.root.append(this.box);
      if (o.theme !== "light" && o.theme !== "dark") this.matchHost();
      this.live = h("div", { class: "sr", "aria-live": "polite" });
      this.box.addEventListener("click", (e) => this.act(e));
      this.load(o.first);
      this.restore();
      this.memberFeatures();
      setInterval(() => this.tick(), 30000);
      // Replies come from every site, most of them not on this page: the count is asked for again while the page is in view.
      setInterval(() => document.visibilityState === "visible" && this.refreshInbox?.(), 60000);
    }

    /**
     * "auto" takes the host page's colours rather than the operating system's: a light blog read on a phone in dark
     * mode stays light. The first background painted behind the widget decides; a page that paints none follows its
     * color-scheme. A page that switches (a class or style on an element above the widget, or the system's scheme
     * under "light dark") is followed.
     */
    matchHost() {
      const system = matchMedia("(prefers-color-scheme: dark)");
      const check = () => {
        let rgb;
        for (let el = this.o.el; el && !rgb; el = el.parentElement) {
          const c = getComputedStyle(el).backgroundColor.match(/^rgba?\((.*)\)/)?.[1].split(/[\s,/]+/).map(Number);
          if (c && c[3] !== 0) rgb = c;
        }
        const scheme = getComputedStyle(document.documentElement).colorScheme + (document.querySelector("meta[name=color-scheme]")?.getAttribute("content") || "");
        const dark = rgb ? rgb[0] * 0.2126 + rgb[1] * 0.7152 + rgb[2] * 0.0722 < 128 : /dark/.test(scheme) && (!/light/.test(scheme) || system.matches);
        this.box.dataset.theme = dark ? "dark" : "light";
      };
      check();
      system.addEventListener("change", check);
      const watch = new MutationObserver(check);
      for (let el = this.o.el.parentElement; el; el = el.parentElement) watch.observe(el, { attributeFilter: ["class", "style", "data-theme"] });
    }

    t(key, vars) {
      let text = this.s[key] ?? STRINGS.en[key] ?? key;
      if (Array.isArray(text)) text = text[this.plural.select(vars?.n ?? 0) === "one" ? 0 : 1];
      return text.replace(/\{(\w+)\}/g, (_, name) => (vars?.[name] ?? "").toLocaleString(this.lang));
    }

    /** Calls the API; resolves with JSON, rejects with a message for people. */
    call(path, init = {}) {
      return this.read(fetch(this.o.api + path, {
        ...init,
        // No Content-Type without a body: a plain GET needs no preflight, so even a refusal can be read.
        headers: { ...(init.body && { "Content-Type": "application/json" }), ...(this.member && { Authorization: "Bearer " + this.member.accessToken }), ...init.headers },
      }));
    }

    /**
     * Reads an answer (or the loader's first request). Readers get a short message; the site's owner, who is the one
     * who can fix a wrong setup, finds what is wrong and the command that fixes it in the browser's console.
     */
    async read(request) {
      const { site, base } = this.o;
      let response;
      try {
        response = await request;
      } catch (e) {
        console.error(`Hearth: ${base} cannot be reached (${e}). Is the server running, and is this its address in the embed snippet?`);
        throw new Error(this.t("network"));
      }
      if (response.status === 204) return null;
      const body = await response.json().catch(() => ({}));
      if (response.ok) return body;
      if (body.code === "access_token_invalid" && this.member) {
        this.forget();
        throw new Error(this.t("signedOut"));
      }
      const fix = { site_not_found: ["does not exist on " + base + ". Create it with: hearth sites add", ""],
        origin_not_allowed: ["does not allow pages on " + location.origin + ". Allow it with: hearth sites set", " (set replaces the list: add --origin for each origin to keep)"] }[body.code];
      if (fix) {
        console.error(`Hearth: the site "${site}" ${fix[0]} ${site} --origin ${location.origin}${fix[1]}`);
        throw new Error(this.t("notHere"));
      }
      const field = body.errors && Object.keys(body.errors)[0];
      const key = body.code === "validation" && field ? "validation:" + field : body.code;
      throw new Error(this.s[key] || body.detail || this.t("failed"));
    }

    async load(first) {
      try {
        const page = await (first && this.sort === "best" ? this.read(first) : this.call("/thread?" + this.query()));
        this.comments.clear();
        this.order = [];
        this.held = [];
        this.take(page);
        this.lastEventId = page.lastEventId || 0;
        this.render();
        this.follow();
        this.mine();
      } catch (e) {
        const message = e instanceof Error ? e.message : this.t("loadFailed");
        // A site set up wrongly stays so until its owner acts: trying again would not help the reader.
        this.box.replaceChildren(h("p", { role: "alert" }, message),
          message !== this.t("notHere") && h("button", { type: "button", onclick: () => this.load() }, this.t("retry")));
      }
    }

    /**
     * Your own comments readers do not see (yet): after a reload they are still shown to you, as you were told when
     * posting. The edit tokens, kept for a month, prove they are yours; what a moderator removed is forgotten.
     */
    async mine() {
      const asked = Object.entries(this.tokens).filter(([id, t]) => t.k === this.key && !this.comments.has(Number(id))).slice(-50);
      if (!asked.length) return;
      try {
        const found = await this.call("/comments/mine", { method: "POST", body: JSON.stringify({ comments: asked.map(([id, t]) => ({ id: Number(id), editToken: t.token })) }) });
        for (const [id, t] of asked) if (!found.some((c) => c.id === Number(id))) t.keep = 0;
        store.set("tokens", this.prune(this.tokens));
        for (const c of found) this.add(c);
        if (found.length) this.render();
      } catch {
        // Only the author's own view misses them; the next visit asks again.
      }
    }

    query(cursor) {
      const q = new URLSearchParams(this.o.where);
      q.set("sort", this.sort);
      if (cursor) q.set("cursor", cursor);
      return q;
    }

    take(page) {
      this.thread = page.thread;
      this.nextCursor = page.nextCursor;
      let root = null;
      for (const c of page.comments) {
        if (c.parentId == null) root = c;
        else if (root?.moreReplies) this.tail.set(root.id, c);
        if (!this.comments.has(c.id)) this.order.push(c.id);
        this.comments.set(c.id, c);
      }
    }

    /** The next page of top-level comments, or (given a root) the next replies under a comment that has more than a page carries. */
    async more(button, root) {
      button.disabled = true;
      try {
        const q = this.query(root ? null : this.nextCursor);
        // The last reply the server gave, by its time as well as its id: it may have been deleted since.
        const tail = root && this.tail.get(root.id);
        if (tail) q.set("replies", root.id), q.set("after", tail.id), q.set("at", tail.createdAt);
        const page = await this.call("/thread?" + q);
        const fresh = page.comments.find((c) => !this.comments.has(c.id));
        // The root (as it is now) goes first, so take() sees the replies as its own and where the next ones start.
        if (root) page.nextCursor = this.nextCursor, this.comments.has(root.id) && page.comments.unshift({ ...this.comments.get(root.id), moreReplies: page.moreReplies });
        this.take(page);
        this.render();
        // The button is redrawn or gone: keyboard focus goes on at the first comment that came in.
        if (fresh) this.root.getElementById("a" + fresh.id)?.focus();
      } catch (e) {
        button.disabled = false;
        button.after(h("p", { class: "error", role: "alert" }, /** @type {Error} */ (e).message));
      }
    }

    // ---- live -------------------------------------------------------------------------------------

    follow() {
      if (this.source || typeof EventSource === "undefined") return;
      const q = new URLSearchParams(this.o.where);
      q.set("since", String(this.lastEventId));
      const source = (this.source = new EventSource(this.o.api + "/live?" + q));
      const on = (type, fn) => source.addEventListener(type, (e) => {
        const ev = /** @type {MessageEvent} */ (e);
        if (ev.lastEventId) this.lastEventId = Number(ev.lastEventId);
        fn(JSON.parse(ev.data));
      });
      on("comment.created", (c) => this.arrived(c));
      on("comment.updated", (c) => this.changed(c));
      on("comment.deleted", (c) => this.removed(c));
      // The browser resumes by itself after a dropped stream; after a refused one (say, too many streams from one
      // office's address) it gives up, so start again, waiting twice as long each time up to a minute.
      source.onopen = () => (this.wait = 0);
      source.onerror = () => {
        if (source.readyState === EventSource.CLOSED) {
          this.source = null;
          this.wait = Math.min((this.wait || 1500) * 2, 60000);
          setTimeout(() => this.follow(), this.wait);
        }
      };
    }

    arrived(c) {
      if (this.comments.has(c.id) || this.held.some((x) => x.id === c.id)) return this.changed(c);
      // New words go under a bar instead of pushing the text someone is reading.
      this.held.push(c);
      this.renderBar();
    }

    changed(c) {
      const held = this.held.findIndex((x) => x.id === c.id);
      if (held >= 0) this.held[held] = c;
      if (!this.comments.has(c.id)) return;
      this.comments.set(c.id, { ...this.comments.get(c.id), ...c });
      this.renderComment(c.id);
    }

    removed(c) {
      this.held = this.held.filter((x) => x.id !== c.id);
      if (!this.comments.has(c.id)) return this.renderBar();
      if (c.removed) {
        // Tombstones taken away with their last reply were not counted any more.
        if (this.comments.get(c.id).status === "published") this.thread.commentCount = Math.max(0, this.thread.commentCount - 1);
        this.comments.delete(c.id);
        this.order = this.order.filter((id) => id !== c.id);
        this.render();
      } else {
        if (this.comments.get(c.id).status === "published") this.thread.commentCount--;
        // A tombstone keeps its place in the tree, and the way to the replies under it not loaded yet.
        this.comments.set(c.id, { ...c, moreReplies: this.comments.get(c.id).moreReplies });
        this.render();
      }
    }

    showHeld() {
      const n = this.held.length;
      const first = this.held[0];
      for (const c of this.held) this.add(c);
      this.held = [];
      this.render();
      this.live.textContent = this.t("announceNew", { n });
      // The bar is gone with its button: carry keyboard focus on to what it revealed instead of dropping it.
      if (first) this.root.getElementById("a" + first.id)?.focus();
    }

    add(c) {
      this.held = this.held.filter((x) => x.id !== c.id);
      if (this.comments.has(c.id)) return;
      this.comments.set(c.id, c);
      // Replies always read oldest first; only a new top-level comment goes on top when sorted by newest.
      if (this.sort === "newest" && c.parentId == null) this.order.unshift(c.id);
      else this.order.push(c.id);
      if (c.status === "published") this.thread.commentCount++;
    }

    // ---- rendering --------------------------------------------------------------------------------

    render() {
      const roots = [];
      // Ids, never comment objects: a comment changed by a live update or a vote is replaced in this.comments, and
      // every redraw (of the whole thread or of one comment with its replies) must draw what is there now.
      this.children = new Map();
      this.at = new Map(this.order.map((id, i) => [id, i]));
      for (const id of this.order) {
        const c = this.comments.get(id);
        if (c.parentId != null && this.comments.has(c.parentId)) {
          if (!this.children.has(c.parentId)) this.children.set(c.parentId, []);
          this.children.get(c.parentId).push(id);
        } else roots.push(id);
      }
      const count = this.thread.commentCount;
      this.keepForms(() => this.box.replaceChildren(...[
        h("div", { class: "head" },
          // Focusable from script only: focus goes here when the comment that had it is deleted.
          h("h2", { tabindex: -1 }, this.t("comments", { n: count })),
          this.member && this.inboxButton?.(),
          h("label", {}, this.t("sortBy") + " ",
            h("select", { onchange: (e) => this.resort(e.target.value) },
              ...["best", "newest", "oldest"].map((s) => h("option", { value: s, selected: s === this.sort }, this.t(s)))))),
        this.member && this.inboxPanel,
        // One form for new comments, kept across redraws: half-typed names, the caret and the preview survive them.
        (this.main ??= this.composer(null)),
        (this.bar = h("div", { class: "bar" })),
        roots.length ? this.fragment(this.list(roots, 1)) : h("p", { class: "muted" }, this.t("empty")),
        this.nextCursor && h("button", { type: "button", class: "more", onclick: (e) => this.more(e.currentTarget) }, this.t("loadMore")),
        this.live,
      ].filter(Boolean)));
      this.renderBar();
    }

    /**
     * Redrawing (a live update, a vote, a new page) must not throw away what someone is doing: open reply and edit
     * forms move across, and focus stays on the same control, found again by its id.
     */
    keepForms(draw) {
      const open = [...this.root.querySelectorAll("form[data-for]")];
      const focused = this.root.activeElement;
      draw();
      for (const form of open) {
        const article = this.root.getElementById("a" + form.dataset.for);
        if (!article) continue;
        if (form.dataset.kind === "edit") {
          const body = /** @type {HTMLElement} */ (article.querySelector(".body"));
          body.hidden = true;
          body.after(form);
        } else {
          article.after(form);
          this.root.getElementById("r" + form.dataset.for)?.setAttribute("aria-expanded", "true");
        }
      }
      if (!(focused instanceof HTMLElement)) return;
      if (focused.isConnected) focused.focus();
      else if (focused.id) this.root.getElementById(focused.id)?.focus();
    }

    renderBar() {
      if (!this.bar) return;
      this.counts();
      const n = this.held.length;
      this.bar.replaceChildren(n ? h("button", { type: "button", class: "new", onclick: () => this.showHeld() }, this.t("newComments", { n })) : "");
    }

    /** This thread's counts elsewhere on the host page follow it live, new comments under the bar included. */
    counts() {
      const n = this.thread.commentCount + this.held.filter((c) => c.status === "published").length;
      const names = [this.o.where.get("identifier"), this.o.where.get("url"), this.thread.url];
      for (const el of document.querySelectorAll("[data-hearth-count]")) if (names.includes(el.dataset.hearthCount)) el.textContent = this.t("comments", { n });
    }

    renderComment(id) {
      const li = this.root.getElementById("c" + id);
      if (!li) return;
      this.keepForms(() => li.replaceWith(this.fragment(this.item(id, Number(li.getAttribute("aria-level"))))));
    }

    /**
     * Comments are drawn as one piece of HTML that the browser parses in a single pass: for two hundred comments that
     * is several times quicker than building each element from script. Every value is escaped on the way in; only the
     * comment bodies, sanitised by the server when they were written, go in as HTML.
     */
    fragment(html) {
      const template = document.createElement("template");
      template.innerHTML = html;
      // Set from script rather than in a style attribute, which a host page's Content-Security-Policy may forbid.
      for (const avatar of template.content.querySelectorAll(".avatar")) avatar.style.backgroundImage = `url("${encodeURI(this.o.base + avatar.dataset.src)}")`;
      return template.content;
    }

    /** Replies are indented up to MAX_DEPTH; below that a whole subtree is listed flat, in writing order. */
    list(ids, level) {
      const items = level < MAX_DEPTH ? ids : ids.flatMap((id) => [id, ...this.subtree(id)]);
      return `<ol class="${level === 1 ? "tree" : "replies"}">${items.map((id) => this.item(id, level)).join("")}</ol>`;
    }

    item(id, level) {
      const kids = this.children.get(id) || [];
      const c = this.comments.get(id);
      const more = c.moreReplies ? `<button type="button" id="m${id}" class="link more-replies">${esc(this.t("loadMore"))}</button>` : "";
      return `<li id="c${id}" aria-level="${level}">${this.article(c, level)}${level < MAX_DEPTH && kids.length ? this.list(kids, level + 1) : ""}${more}</li>`;
    }

    /** All replies under a comment, in writing order. A list that grows as it is read, not recursion: threads run deep. */
    subtree(id) {
      const all = [];
      for (let i = 0, x = id; x != null; x = all[i++]) for (const k of this.children.get(x) || []) all.push(k);
      return all.sort((a, b) => this.at.get(a) - this.at.get(b));
    }

    article(c, level) {
      const id = Number(c.id);
      if (c.status === "deleted") {
        return `<article id="a${id}" class="comment gone" tabindex="-1"><p class="muted">${esc(this.t("deleted"))}</p></article>`;
      }
      const author = c.author; // Every comment but a tombstone (drawn above) has one.
      const parent = c.parentId != null && this.comments.get(c.parentId);
      // Whom it answers: said by the server for a reply beside one at the deepest level, else seen from here when drawn flat.
      const to = c.replyTo ? c.replyTo.name || this.comments.get(c.replyTo.id)?.author?.name
        : level >= MAX_DEPTH && parent && parent.author && this.depthOf(c) > MAX_DEPTH && parent.author.name;
      const created = new Date(c.createdAt);
      const exact = esc(this.exact.format(created));
      const mine = this.tokens[id];
      const editable = mine && Date.parse(mine.until) > Date.now();
      const vote = this.votes[id] || 0;
      const name = esc(author.name);
      // Only http(s) addresses become links; the server allows nothing else, and this holds even if it did.
      const site = /^https?:\/\//i.test(author.website || "") ? author.website : null;
      const button = (key, cls, label, extra = "") => `<button type="button" id="${key}${id}" class="${cls}"${extra}>${label}</button>`;
      // The avatar is a decorative background rather than an <img>: fetched only once the comment nears the screen.
      return `<article id="a${id}" class="comment${c.pinned ? " pinned" : ""}${c.featured ? " featured" : ""}" tabindex="-1" aria-labelledby="n${id}"><header>` +
        `<span class="avatar" data-src="${esc(author.avatarUrl)}"></span>` +
        (site ? `<a id="n${id}" class="name" href="${esc(site)}" rel="nofollow ugc noopener" target="_blank">${name}</a>` : `<strong id="n${id}" class="name">${name}</strong>`) +
        author.badges.map((b) => `<span class="badge">${esc(this.s["badge:" + b] ?? b)}</span>`).join("") +
        (to ? `<span class="muted">${esc(this.t("inReplyTo", { name: to }))}</span>` : "") +
        `<time datetime="${esc(c.createdAt)}" title="${exact}" tabindex="0" aria-label="${exact}">${esc(this.ago(created))}</time>` +
        (c.editedAt ? `<span class="muted">· ${esc(this.t(c.editedByModerator ? "modEdited" : "edited"))}</span>` : "") +
        (c.pinned ? `<span class="mark">${esc(this.t("pinned"))}</span>` : "") +
        (c.featured ? `<span class="mark">${esc(this.t("featured"))}</span>` : "") +
        `</header>${c.status === "pending" ? `<p class="note">${esc(this.t("pending"))}</p>` : ""}` +
        `<div class="body">${c.html}</div><footer>` +
        button("u", "vote up", "▲", ` aria-label="${esc(this.t("up"))}" aria-pressed="${vote === 1}"`) +
        `<span class="score" aria-label="${esc(this.t("points", { n: c.score }))}">${Number(c.score)}</span>` +
        button("d", "vote down", "▼", ` aria-label="${esc(this.t("down"))}" aria-pressed="${vote === -1}"`) +
        (c.status === "published" ? button("r", "link", esc(this.t("reply")), ' aria-expanded="false"') : "") +
        (editable ? button("e", "link", esc(this.t("edit"))) + button("x", "link", esc(this.t("remove"))) : "") +
        (c.status === "published" && !mine ? button("p", "link", esc(this.t("report"))) : "") +
        `</footer></article>`;
    }

    /**
     * One listener for the buttons of every comment, instead of a handful per comment: a long thread renders faster.
     * Their ids say what they do and to which comment: u12 (up), d12 (down), r12 (reply), e12 (edit), x12 (delete),
     * m12 (more replies under a top-level comment).
     */
    act(e) {
      const button = /** @type {HTMLElement} */ (e.target).closest?.("footer button[id], button.more-replies");
      const c = button && this.comments.get(Number(button.id.slice(1)));
      if (!c) return;
      const kind = button.id[0];
      const vote = this.votes[c.id] || 0;
      if (kind === "u") this.vote(c, vote === 1 ? 0 : 1);
      else if (kind === "d") this.vote(c, vote === -1 ? 0 : -1);
      else if (kind === "r") this.openReply(c, button);
      else if (kind === "e") this.openEdit(c, button);
      else if (kind === "x") this.remove(c, button);
      else if (kind === "p") this.report(c, button);
      else if (kind === "m") this.more(button, c);
    }

    /** A small form in place of the Report button: a reason from a short list, sent without leaving the thread. */
    report(c, button) {
      const choice = h("select", { "aria-label": this.t("reportWhy") },
        ...["spam", "abuse", "off-topic", "other"].map((r) => h("option", { value: r }, this.t(r))));
      const status = h("span", { class: "error", role: "alert" });
      const form = h("form", { class: "report" }, choice,
        h("button", { type: "submit", class: "link" }, this.t("send")),
        h("button", { type: "button", class: "link", onclick: () => { form.replaceWith(button); button.focus(); } }, this.t("cancel")), status);
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        try {
          await this.call(`/comments/${c.id}/report`, { method: "POST", body: JSON.stringify({ reason: choice.value }) });
          form.replaceWith(h("span", { class: "muted", role: "status" }, this.t("reported")));
        } catch (err) {
          status.textContent = /** @type {Error} */ (err).message;
        }
      });
      button.replaceWith(form);
      choice.focus();
    }

    /** How deep a comment is drawn, counted only as far as the flat levels begin. */
    depthOf(c) {
      let depth = 1;
      for (let p = c; depth <= MAX_DEPTH && p.parentId != null && this.comments.has(p.parentId); p = this.comments.get(p.parentId)) depth++;
      return depth;
    }

    ago(date) {
      const seconds = (date.getTime() - Date.now()) / 1000;
      for (const [unit, size] of /** @type {[Intl.RelativeTimeFormatUnit, number][]} */ ([["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]])) {
        if (Math.abs(seconds) >= size) return this.relative.format(Math.round(seconds / size), unit);
      }
      return this.relative.format(0, "second");
    }

    tick() {
      for (const time of this.root.querySelectorAll("time")) time.textContent = this.ago(new Date(time.getAttribute("datetime") || ""));
    }

    // ---- writing ----------------------------------------------------------------------------------

    /** The form for a new comment (parent null), a reply, or an edit (existing comment). */
    composer(parent, existing, done) {
      const id = "f" + (existing ? "e" + existing.id : parent ? "r" + parent.id : "new");
      const error = h("p", { id: id + "e", class: "error", role: "alert" });
      // The error is read out with the comment box when someone comes back to it.
      const text = h("textarea", { id: id + "b", name: "body", rows: parent || existing ? 3 : 4, required: true, placeholder: this.t("placeholder"), "aria-describedby": id + "e " + id + "n" });
      // How long it may be, shown as the limit nears: "9,412 / 10,000".
      const counter = h("p", { id: id + "n", class: "count muted" });
      const count = () => {
        const n = text.value.length;
        counter.hidden = n < MAX_BODY - 1000;
        counter.classList.toggle("over", n > MAX_BODY);
        counter.textContent = n.toLocaleString(this.lang) + " / " + MAX_BODY.toLocaleString(this.lang);
      };
      const draft = "draft:" + this.key + ":" + id;
      text.value = existing ? this.tokens[existing.id]?.source ?? "" : store.get(draft, "");
      count();
      text.addEventListener("input", () => {
        store.set(draft, text.value);
        count();
        // "@" and a letter or more before the caret: the box offers the conversation's people (see suggest).
        if (!text.mention && /(^|[^\p{L}\p{N}_.@/])@[\p{L}\p{N}_.'-]+$/u.test(text.value.slice(0, text.selectionEnd))) this.suggest(text);
      });
      const preview = h("div", { class: "body preview", hidden: true, "aria-live": "polite" });
      const tab = h("button", { type: "button", class: "link", "aria-pressed": "false", onclick: () => this.togglePreview(text, preview, tab) }, this.t("preview"));
      const submit = h("button", { type: "submit", class: "primary" }, existing ? this.t("save") : this.t("post"));
      const form = h("form", { class: "composer", id, novalidate: true, "data-for": existing?.id ?? parent?.id, "data-kind": existing ? "edit" : "reply" },
        h("label", { for: id + "b", class: parent ? "" : "sr" }, parent ? this.t("replyTo", { name: parent.author?.name }) : this.t("body")),
        text, preview, counter,
        !existing && this.who(),
        error,
        h("div", { class: "actions" }, tab, done && h("button", { type: "button", class: "link", onclick: () => done(false) }, this.t("cancel")), submit));
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        // Said here, before a round trip, and precisely: empty, or how long it is against how long it may be.
        const n = text.value.length;
        error.textContent = text.value.trim() ? n > MAX_BODY ? this.t("tooLong", { n, max: MAX_BODY }) : "" : this.t("validation:body");
        if (error.textContent) return text.focus();
        submit.disabled = true;
        const label = submit.textContent;
        submit.textContent = this.t("posting");
        try {
          if (existing) {
            await this.saveEdit(existing, text.value);
            form.remove();
            this.renderComment(existing.id);
            this.root.getElementById("a" + existing.id)?.focus();
          } else {
            const c = await this.post(parent, text.value, form);
            store.set(draft, "");
            text.value = "";
            form.remove();
            // The live stream may have brought it first, as every reader sees it (its mentions linked): that copy wins.
            this.add({ ...c, ...this.held.find((x) => x.id === c.id) });
            this.render();
            const ask = c.ask ? this.t("checkInbox") : "";
            this.live.textContent = this.t("posted") + " " + ask;
            const a = this.root.getElementById("a" + c.id);
            if (ask) a?.append(h("p", { class: "note", role: "status" }, ask));
            a?.focus();
          }
          if (done) done(true);
        } catch (err) {
          // The typed text stays where it is: nothing is lost when a post fails.
          error.textContent = /** @type {Error} */ (err).message;
          text.focus();
        } finally {
          submit.disabled = false;
          submit.textContent = label;
        }
      });
      return form;
    }

    /**
     * Names to mention come from a script of their own, loaded the first time anyone on the page types "@" and a letter,
     * so every other reader's first render stays small. From then on it looks after that comment box by itself.
     */
    suggest(text) {
      window.hearthMention ??= new Promise((done) => {
        window.hearthMentions = done;
        document.head.append(h("script", { src: this.o.mention, async: true }));
      });
      window.hearthMention.then((start) => start(this, text, { h, STRINGS }));
    }

    /** The signed-in person, or a way to sign in and a guest's name, e-mail and website. */
    who() {
      if (this.member) {
        return h("p", { class: "who muted" }, this.t("signedIn", { name: this.member.user.name }), " ",
          h("button", { type: "button", class: "link", onclick: () => this.signOut() }, this.t("signOut")));
      }
      // Short labels, so none wraps onto a second line beside its neighbours; the promise about the e-mail address
      // goes under the fields, read out with that field.
      const note = "hn" + Math.random().toString(36).slice(2);
      const field = (name, type, label, autocomplete) => h("label", {}, label,
        h("input", { name, type, value: this.guest[name] || "", autocomplete, required: name === "name", maxlength: name === "name" ? 80 : 300, "aria-describedby": type === "email" && note }));
      // Replies by e-mail need an address: offered once one is typed.
      const tick = h("label", { class: "tick", hidden: !this.guest.email }, h("input", { name: "notify", type: "checkbox" }), this.t("notify"));
      const email = field("email", "email", this.t("email"), "email");
      email.addEventListener("input", () => (tick.hidden = !/** @type {HTMLInputElement} */ (email.lastChild).value.trim()));
      return h("div", { class: "who" },
        h("p", { class: "signin" }, h("button", { type: "button", class: "link", onclick: () => this.openSignIn() }, this.t("signIn")), " ", this.t("orGuest")),
        this.ssoFailed && h("p", { class: "note" }, this.t("ssoFailed")),
        field("name", "text", this.t("name"), "name"), email, field("website", "url", this.t("website"), "url"),
        h("p", { id: note, class: "muted" }, this.t("emailNote")), tick);
    }

    // ---- signing in -------------------------------------------------------------------------------

    /**
     * A session is kept on this device until it ends. One the host site signed belongs to the person the host names
     * now (the token's sub): someone else signed in, or nobody, and it is dropped.
     */
    restore() {
      this.memberKey = "member:" + this.o.api;
      let sub;
      try { sub = this.o.sso && JSON.parse(atob(this.o.sso.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub; } catch { /* not a JWT: the server says why */ }
      const saved = store.get(this.memberKey, null);
      if (saved && Date.parse(saved.expiresAt) > Date.now() && saved.sub === sub) this.member = saved;
      else if (this.o.sso) this.signIn(this.o.sso, sub);
      else if (saved) store.set(this.memberKey, "");
    }

    /** Trades the host site's token for a session; forms already drawn switch over. */
    async signIn(token, sub) {
      try {
        this.keep({ ...(await this.call("/sessions/sso", { method: "POST", body: JSON.stringify({ token }) })), sub });
      } catch {
        this.ssoFailed = true;
        this.redrawWho();
      }
    }

    /**
     * Signs in with a Hearth account in a window on Hearth's own origin, where its cookie works even when the browser
     * keeps cookies from other sites' pages; the window hands back a token for this site by postMessage.
     */
    openSignIn() {
      const q = new URLSearchParams({ site: this.o.site, origin: location.origin });
      this.onMessage ??= (e) => {
        // Only the window opened here, on Hearth's origin, may sign the reader in.
        if (e.origin === this.o.base && e.source === this.popup && e.data?.hearth === "signed-in") this.keep(e.data);
      };
      addEventListener("message", this.onMessage);
      this.popup = open(this.o.base + "/account/widget?" + q, "hearth-signin", "popup,width=480,height=640");
    }

    keep(member) {
      this.member = member;
      store.set(this.memberKey, member);
      this.redrawWho();
      this.memberFeatures();
      this.root.querySelector("form textarea")?.focus();
    }

    async signOut() {
      await this.call("/sessions/current", { method: "DELETE" }).catch(() => {});
      this.forget();
      this.root.querySelector(".signin button")?.focus();
    }

    forget() {
      this.unwatchInbox?.();
      this.member = null;
      store.set(this.memberKey, "");
      this.unread = 0;
      this.inboxPanel?.remove();
      this.inboxPanel = null;
      this.root.querySelector(".head .inbox")?.remove();
      this.redrawWho();
    }

    /**
     * What only signed-in readers use (their inbox) is a second script, loaded once they are signed in, so every other
     * reader's first render stays small. It adds its methods to every thread on the page.
     */
    memberFeatures() {
      if (!this.member) return;
      window.hearthMember ??= new Promise((done) => {
        window.hearthExtend = (extend) => done(extend(Thread.prototype, { h, esc, STRINGS }));
        document.head.append(h("script", { src: this.o.member, async: true }));
      });
      window.hearthMember.then(() => {
        this.refreshInbox();
        this.watchInbox();
      });
    }

    redrawWho() {
      for (const who of this.root.querySelectorAll("form .who")) who.replaceWith(this.who());
    }

    async togglePreview(text, preview, tab) {
      const showing = preview.hidden;
      preview.hidden = !showing;
      text.hidden = showing;
      tab.setAttribute("aria-pressed", String(showing));
      tab.textContent = showing ? this.t("write") : this.t("preview");
      if (!showing) return text.focus();
      const nothing = () => (preview.textContent = this.t("nothingToPreview"));
      if (!text.value.trim()) return nothing();
      preview.textContent = this.t("loadingPreview");
      preview.setAttribute("aria-busy", "true");
      try {
        const html = (await this.call("/preview", { method: "POST", body: JSON.stringify({ body: text.value }) })).html;
        // Markdown that draws nothing (an empty link, a comment) says so rather than leaving an empty box.
        if (html.trim()) preview.innerHTML = html;
        else nothing();
      } catch (e) {
        preview.textContent = /** @type {Error} */ (e).message;
      }
      preview.removeAttribute("aria-busy");
    }

    async post(parent, body, form) {
      const data = new FormData(form);
      const author = this.member ? undefined : { name: String(data.get("name") || ""), email: String(data.get("email") || "") || undefined, website: String(data.get("website") || "") || undefined };
      if (author) store.set("guest", (this.guest = author));
      // Asked only with an address; the server sends a confirmation link and says nothing of it here.
      const notifyReplies = !!author?.email && data.get("notify") != null || undefined;
      const c = await this.call("/comments", {
        method: "POST",
        headers: { "Idempotency-Key": crypto.randomUUID?.() ?? String(Math.random()).slice(2) + Date.now() },
        body: JSON.stringify({ url: this.o.where.get("url"), identifier: this.o.where.get("identifier") || undefined, title: this.o.title, parentId: parent?.id, body, author, notifyReplies }),
      });
      c.ask = notifyReplies;
      if (c.editToken) {
        this.tokens[c.id] = { token: c.editToken, until: c.editableUntil, source: body, k: this.key, keep: Date.now() + 2592e6 };
        store.set("tokens", this.prune(this.tokens));
      }
      return c;
    }

    prune(tokens) {
      for (const [id, t] of Object.entries(tokens)) {
        if (Date.parse(t.until) >= Date.now()) continue;
        // Past the edit window only the proof of authorship is kept, for the month; never the words.
        if (t.keep > Date.now()) delete t.source;
        else delete tokens[id];
      }
      return tokens;
    }

    openReply(c, button) {
      const article = button.closest("article");
      const open = article.nextElementSibling?.classList.contains("composer") ? article.nextElementSibling : null;
      if (open) return open.querySelector("textarea").focus();
      button.setAttribute("aria-expanded", "true");
      const form = this.composer(c, null, (posted) => {
        form.remove();
        // Looked up again: a live update may have redrawn the comment while the form was open.
        const reply = this.root.getElementById("r" + c.id);
        reply?.setAttribute("aria-expanded", "false");
        if (!posted) reply?.focus();
      });
      article.after(form);
      form.querySelector("textarea").focus();
    }

    openEdit(c, button) {
      const article = button.closest("article");
      const open = article.querySelector("form");
      if (open) return open.querySelector("textarea").focus();
      const body = article.querySelector(".body");
      const form = this.composer(null, c, (saved) => {
        form.remove();
        // Looked up again: a live update may have redrawn the comment while the form was open.
        this.root.getElementById("a" + c.id)?.querySelector(".body")?.removeAttribute("hidden");
        if (!saved) this.root.getElementById("e" + c.id)?.focus();
      });
      body.hidden = true;
      body.after(form);
      form.querySelector("textarea").focus();
    }

    async saveEdit(c, text) {
      const updated = await this.call("/comments/" + c.id, { method: "PATCH", headers: { "X-Edit-Token": this.tokens[c.id]?.token }, body: JSON.stringify({ body: text }) });
      this.tokens[c.id] = { ...this.tokens[c.id], source: text };
      store.set("tokens", this.tokens);
      this.comments.set(c.id, { ...this.comments.get(c.id), ...updated });
    }

    async remove(c, button) {
      if (button.dataset.armed !== "1") {
        button.dataset.armed = "1";
        button.textContent = this.t("confirmRemove");
        return;
      }
      try {
        await this.call("/comments/" + c.id, { method: "DELETE", headers: { "X-Edit-Token": this.tokens[c.id]?.token } });
        delete this.tokens[c.id];
        store.set("tokens", this.tokens);
        const hasReplies = (this.children.get(c.id) || []).length > 0 || [...this.comments.values()].some((x) => x.replyTo?.id === c.id);
        this.removed(hasReplies ? { ...c, status: "deleted", html: "", author: null } : { id: c.id, removed: true });
        /** @type {HTMLElement|null} */ (this.root.querySelector("h2"))?.focus();
      } catch (e) {
        button.after(h("span", { class: "error", role: "alert" }, /** @type {Error} */ (e).message));
      }
    }

    async vote(c, value) {
      this.lastVote = this.votes[c.id] || 0;
      try {
        const result = await this.call("/comments/" + c.id + "/vote", { method: "POST", body: JSON.stringify({ value }) });
        this.votes[c.id] = value;
        store.set("votes", this.votes);
        this.comments.set(c.id, { ...this.comments.get(c.id), score: result.score, upvotes: result.upvotes, downvotes: result.downvotes });
        this.renderComment(c.id);
        this.root.getElementById((value === -1 || (value === 0 && this.lastVote === -1) ? "d" : "u") + c.id)?.focus();
      } catch (e) {
        this.live.textContent = /** @type {Error} */ (e).message;
      }
    }

    resort(sort) {
      this.sort = sort;
      store.set("sort", sort);
      this.load();
    }
  }

  const queue = (window.hearthQueue = window.hearthQueue || []);
  const start = (o) => new Thread(o);
  queue.forEach(start);
  queue.push = (...items) => { items.forEach(start); return queue.length; };
})();
