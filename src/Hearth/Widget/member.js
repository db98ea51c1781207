// What only signed-in readers use, loaded by the widget once someone is signed in: their inbox (replies, mentions
// and new comments in followed conversations, on this site) with the count of new ones, kept live while the page is in
// view, answering a reply from it, linking the site's sign-in to a Hearth account, and following or muting the people
// who comment (a muted person's comments are folded away for this reader only). The
// widget sets window.hearthExtend before loading this file; the methods added here serve every thread on the page.
"use strict";
window.hearthExtend((proto, { h, esc, STRINGS }) => {
  Object.assign(STRINGS.en, { inbox: "Replies to you", inboxNew: "{n} new", approved: "A moderator approved your comment: it is public now.", declined: "A moderator turned your comment down: it was not published.", inboxEmpty: "No replies to you here yet.", markRead: "Mark all read", talks: "Your conversations", talksEmpty: "You take part in no conversation here yet.", linkAccount: "Link to my Hearth account",
    replySent: "Your reply is published.", replyHeld: "Your reply is waiting for a moderator.",
    personMenu: "Follow or mute {name}", follow: "Follow", unfollow: "Stop following", mute: "Mute", unmute: "Unmute",
    mutedNote: "muted", show: "Show", following: "You follow {name}.", muted: "{name} is muted: their comments are folded away.", none: "You neither follow nor mute {name}." });
  Object.assign(STRINGS.de, { inbox: "Antworten an dich", inboxNew: "{n} neu", approved: "Die Moderation hat deinen Kommentar freigegeben: Er ist jetzt öffentlich.", declined: "Die Moderation hat deinen Kommentar abgelehnt: Er wurde nicht veröffentlicht.", inboxEmpty: "Hier noch keine Antworten an dich.", markRead: "Alle als gelesen markieren", talks: "Deine Gespräche", talksEmpty: "Du nimmst hier noch an keinem Gespräch teil.", linkAccount: "Mit meinem Hearth-Konto verbinden",
    replySent: "Deine Antwort ist veröffentlicht.", replyHeld: "Deine Antwort wartet auf die Moderation.",
    personMenu: "{name} folgen oder stummschalten", follow: "Folgen", unfollow: "Nicht mehr folgen", mute: "Stummschalten", unmute: "Stummschaltung aufheben",
    mutedNote: "stummgeschaltet", show: "Anzeigen", following: "Du folgst {name}.", muted: "{name} ist stummgeschaltet: Die Kommentare sind eingeklappt.", none: "Du folgst {name} nicht und hast {name} nicht stummgeschaltet." });

  // Whom the reader follows or muted is theirs alone: it comes from their own request, never from the thread page,
  // which every reader shares, and only this reader's copy of the thread is drawn differently.
  const { article, act, forget } = proto;
  Object.assign(proto, {
    article(c, level) {
      const html = article.call(this, c, level);
      const key = c.author?.key;
      if (!this.people || !key || key === this.me) return html;
      const id = Number(c.id);
      const name = esc(c.author.name);
      if (this.people.get(key) === "muted" && !this.shown?.has(id)) {
        return `<article id="a${id}" class="comment" tabindex="-1" aria-labelledby="n${id}"><footer><strong id="n${id}" class="name">${name}</strong>` +
          `<span class="muted">${esc(this.t("mutedNote"))}</span><button type="button" id="s${id}" class="link" aria-label="${esc(this.t("show"))}: ${name}">${esc(this.t("show"))}</button></footer></article>`;
      }
      return html.replace(/<\/footer><\/article>$/, `<button type="button" id="f${id}" class="link" aria-label="${esc(this.t("personMenu", { name: c.author.name }))}" aria-haspopup="true" aria-expanded="false">⋯</button></footer></article>`);
    },

    act(e) {
      const button = /** @type {HTMLElement} */ (e.target).closest?.("footer button[id]");
      const c = button && this.comments.get(Number(button.id.slice(1)));
      if (c && button.id[0] === "s") {
        (this.shown ??= new Set()).add(c.id);
        this.renderComment(c.id);
        this.root.getElementById("a" + c.id)?.focus();
      } else if (c && button.id[0] === "f") this.personMenu(c, button);
      else act.call(this, e);
    },

    forget() {
      this.people = null;
      this.peopleAsked = false;
      forget.call(this);
      if (this.thread) this.render();
    },

    /** The reader's follows and mutes on this site (at most the server's cap), then the thread drawn with them. */
    async loadPeople() {
      try {
        const mine = await this.call("/person-follows");
        this.me = mine.me;
        this.people = new Map(mine.people.map((p) => [p.key, p.state]));
        this.render();
      } catch {
        // Without them the thread is drawn as for anyone; the next sign-in asks again.
      }
    },

    /** A small group of buttons in place of "⋯": follow or stop, mute or unmute, cancel. */
    personMenu(c, button) {
      const { key, name } = c.author;
      const state = this.people.get(key);
      const close = () => { group.replaceWith(button); button.focus(); };
      const set = async (to) => {
        try {
          await this.call(`/people/${encodeURIComponent(key)}/follow`, { method: "PUT", body: JSON.stringify({ state: to }) });
          if (to === "none") this.people.delete(key);
          else this.people.set(key, to);
          this.render();
          this.live.textContent = this.t(to, { name });
          this.root.getElementById((to === "muted" ? "s" : "f") + c.id)?.focus();
        } catch (err) {
          status.textContent = /** @type {Error} */ (err).message;
        }
      };
      const status = h("span", { class: "error", role: "alert" });
      const group = h("span", { class: "report", role: "group", "aria-label": this.t("personMenu", { name }) },
        h("button", { type: "button", class: "link", onclick: () => set(state === "following" ? "none" : "following") }, this.t(state === "following" ? "unfollow" : "follow")),
        h("button", { type: "button", class: "link", onclick: () => set(state === "muted" ? "none" : "muted") }, this.t(state === "muted" ? "unmute" : "mute")),
        h("button", { type: "button", class: "link", onclick: close }, this.t("cancel")), status);
      group.addEventListener("keydown", (e) => e.key === "Escape" && close());
      button.replaceWith(group);
      /** @type {HTMLElement} */ (group.firstChild).focus();
    },
  });

  /**
   * One live inbox per site and person for the whole page, however many threads it shows: the server lets a person
   * hold only a few at once. It is open while the page is in view, and opening again reads what came meanwhile. The
   * token goes in a header, never in an address, so the stream is read with fetch rather than EventSource.
   * @type {Map<string, { key: string, api: string, token: string, views: Set<any>, running: boolean, stop?: AbortController }>}
   */
  const streams = new Map();

  async function follow(s) {
    let wait = 2000;
    while (s.views.size) {
      if (document.visibilityState !== "visible") {
        await new Promise((r) => document.addEventListener("visibilitychange", r, { once: true }));
        continue;
      }
      const stop = (s.stop = new AbortController());
      const hide = () => document.visibilityState === "hidden" && stop.abort();
      document.addEventListener("visibilitychange", hide);
      try {
        const response = await fetch(s.api + "/inbox/live", { headers: { Authorization: "Bearer " + s.token }, signal: stop.signal });
        // Signed out: the threads learn it on their next call.
        if (response.status === 401) break;
        if (!response.ok || !response.body) throw new Error(String(response.status));
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let text = "";
        for (let read; !(read = await reader.read()).done;) {
          text += read.value;
          for (let end; (end = text.indexOf("\n\n")) >= 0; text = text.slice(end + 2)) {
            // "ready" too: after a reconnection, whatever came while the stream was away.
            if (/^event: ?(ready|notification)$/m.test(text.slice(0, end))) for (const view of s.views) view.inboxChanged();
          }
        }
        wait = 2000;
      } catch {
        if (!stop.signal.aborted) wait = Math.min(wait * 2, 60000);
      } finally {
        document.removeEventListener("visibilitychange", hide);
      }
      if (s.views.size) await new Promise((r) => setTimeout(r, wait));
    }
    if (!s.views.size) streams.delete(s.key);
    s.running = false;
  }

  Object.assign(proto, {
    /** The signed-in person's replies from every site: a button in the head with the count of new ones. */
    inboxButton() {
      return this.labelInbox(h("button", { type: "button", class: "link inbox", "aria-controls": "hinbox", onclick: () => this.toggleInbox(this.inboxPanel.hidden) }));
    },

    labelInbox(button) {
      const n = this.unread > 99 ? "99+" : this.unread;
      button.textContent = this.t("inbox") + (n ? ": " + this.t("inboxNew", { n }) : "");
      button.setAttribute("aria-expanded", String(this.inboxPanel?.hidden === false));
      return button;
    },

    async refreshInbox(page) {
      if (!this.member) return;
      if (!this.peopleAsked) {
        this.peopleAsked = true;
        this.loadPeople();
      }
      try {
        this.unread = (page ?? (await this.call("/inbox/unread"))).unread;
      } catch {
        return;
      }
      // Signed in after the thread was drawn: the button and its panel join the head now. Once there, the button is
      // changed in place, so a live update never takes the focus from it.
      const button = this.root.querySelector(".head .inbox");
      if (button) this.labelInbox(button);
      else this.root.querySelector(".head h2")?.after(this.inboxButton());
      this.inboxPanel ??= h("section", { id: "hinbox", class: "inbox", hidden: true });
      if (!this.inboxPanel.isConnected) this.root.querySelector(".head")?.after(this.inboxPanel);
    },

    /** Follows the person's inbox live, on the stream this page shares between its threads. */
    watchInbox() {
      const key = this.o.api + " " + this.member.accessToken;
      if (streams.get(key)?.views.has(this)) return;
      this.unwatchInbox();
      let s = streams.get(key);
      if (!s) streams.set(key, (s = { key, api: this.o.api, token: this.member.accessToken, views: new Set(), running: false }));
      s.views.add(this);
      if (!s.running) {
        s.running = true;
        follow(s);
      }
    },

    unwatchInbox() {
      for (const s of streams.values()) {
        if (s.views.delete(this) && !s.views.size) s.stop?.abort();
      }
    },

    /** Something new arrived: the count, and the open panel unless a reply is being written in it. */
    inboxChanged() {
      if (!this.member) return;
      if (this.inboxPanel?.hidden === false && !this.inboxPanel.querySelector("form.inbox-reply")) this.toggleInbox(true);
      else this.refreshInbox();
    },

    async toggleInbox(open, marking) {
      const panel = this.inboxPanel;
      panel.hidden = !open;
      this.refreshInbox({ unread: this.unread });
      if (!open) return;
      // Two views of one inbox: the replies and news, one by one; or every conversation on this site the person is in,
      // the liveliest first, each with its newest comment that concerns them and how many of its notifications are new.
      const talks = this.inboxView;
      try {
        if (marking) await this.call("/inbox/read", { method: "POST", body: JSON.stringify({ all: true }) });
        const page = await this.call(talks ? "/inbox/conversations?limit=10" : "/inbox?limit=10");
        // A conversation followed without a word written or heard in it yet shows its page and when it last moved.
        const items = talks ? page.items.map(({ latest: l, ...c }) => ({ ...c, id: l?.notificationId, kind: l?.kind, read: !c.unread,
          comment: l ? { ...l, id: l.commentId } : { html: "", createdAt: c.lastActivity } })) : page.items;
        const tab = (view, key) => `<button type="button" class="link" data-view="${view}" aria-pressed="${!talks === !view}">${esc(this.t(key))}</button> `;
        // Only the bodies, sanitised by the server, go in as HTML; names, titles and addresses are escaped.
        panel.replaceChildren(this.fragment(tab("", "inbox") + tab("1", "talks")), items.length ? this.fragment((page.unread ? `<button type="button" class="link mark-read">${esc(this.t("markRead"))}</button>` : "") +
          "<ul>" + items.map((i, n) => `<li class="${i.read ? "" : "unread"}"><p class="muted">${i.comment.authorName ? `<strong>${esc(i.comment.authorName)}</strong> · ` : ""}` +
            `<a href="${esc(i.thread.url)}" target="_top">${esc(i.thread.title || i.thread.url)}</a> · <time datetime="${esc(i.comment.createdAt)}">${esc(this.ago(new Date(i.comment.createdAt)))}</time>` +
            (i.unread ? " · " + esc(this.t("inboxNew", { n: i.unread })) : "") + "</p>" +
            // A welcome's words; what became of one's own held comment (a declined one comes without its words).
            (i.message ? `<p>${esc(i.message)}</p>` : "") +
            (i.kind === "approved" || i.kind === "declined" ? `<p>${esc(this.t(i.kind))}</p>` : "") +
            `<div class="body">${i.comment.html}</div>` +
            (["reply", "mention", "followed", "followed-person"].includes(i.kind) ? `<button type="button" class="link answer" data-n="${n}">${esc(this.t("reply"))}</button>` : "") +
            "</li>").join("") + "</ul>") : h("p", { class: "muted" }, this.t(talks ? "talksEmpty" : "inboxEmpty")));
        for (const button of panel.querySelectorAll("[data-view]")) button.addEventListener("click", () => { this.inboxView = button.dataset.view; this.toggleInbox(true); });
        panel.querySelector(".mark-read")?.addEventListener("click", () => this.toggleInbox(true, true));
        for (const button of panel.querySelectorAll("button.answer")) button.addEventListener("click", () => this.answer(items[Number(button.dataset.n)], button));
        // Someone the page's site signs in may link that to their Hearth account: they sign in to it in Hearth's own
        // window, which hands its token to this page only, and both sessions go to the server together.
        if (this.o.sso) panel.append(h("button", { type: "button", class: "link link-account", onclick: () => this.linkAccount() }, this.t("linkAccount")));
        this.refreshInbox(page);
      } catch (err) {
        panel.replaceChildren(h("p", { class: "error", role: "alert" }, /** @type {Error} */ (err).message));
      }
    },

    /** A reply from the panel: posted like any other, to the comment the notification is about, which is then read. */
    answer(item, button) {
      const text = h("textarea", { rows: 3, required: true, maxlength: 10000, "aria-label": this.t("replyTo", { name: item.comment.authorName }) });
      const status = h("p", { class: "error", role: "alert" });
      const form = h("form", { class: "inbox-reply" }, text, h("button", { type: "submit" }, this.t("send")),
        h("button", { type: "button", class: "link", onclick: () => { form.replaceWith(button); button.focus(); } }, this.t("cancel")), status);
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        try {
          const reply = await this.call("/comments", { method: "POST",
            body: JSON.stringify({ url: item.thread.url, identifier: item.thread.identifier, parentId: item.comment.id, body: text.value }) });
          // From the conversations view, the whole conversation is read: its "N new" goes with the answer.
          await this.call("/inbox/read", { method: "POST", body: JSON.stringify(item.unread ? { threads: [item.thread.id] } : { ids: [item.id] }) }).catch(() => {});
          form.closest("li")?.classList.remove("unread");
          form.replaceWith(h("p", { class: "note", role: "status" }, this.t(reply.status === "pending" ? "replyHeld" : "replySent")));
          this.refreshInbox();
        } catch (err) {
          status.textContent = /** @type {Error} */ (err).message;
        }
      });
      button.replaceWith(form);
      text.focus();
    },

    linkAccount() {
      const q = new URLSearchParams({ site: this.o.site, origin: location.origin });
      const popup = window.open(this.o.base + "/account/widget?" + q, "hearth-signin", "popup,width=480,height=640");
      const listen = async (e) => {
        if (e.origin !== this.o.base || e.source !== popup || e.data?.hearth !== "signed-in") return;
        removeEventListener("message", listen);
        try {
          await this.call("/sessions/link", { method: "POST", body: JSON.stringify({ accountToken: e.data.accessToken }) });
          this.keep(e.data);
        } catch (err) {
          this.inboxPanel.append(h("p", { class: "error", role: "alert" }, /** @type {Error} */ (err).message));
        }
      };
      addEventListener("message", listen);
    },
  });
});
