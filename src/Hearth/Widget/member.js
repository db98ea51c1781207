// What only signed-in readers use, loaded by the widget once someone is signed in: their inbox (replies, mentions
// and new comments in followed conversations, on this site) with the count of new ones, kept live while the page is in
// view, answering a reply from it, and linking the site's sign-in to a Hearth account. The
// widget sets window.hearthExtend before loading this file; the methods added here serve every thread on the page.
"use strict";
window.hearthExtend((proto, { h, esc, STRINGS }) => {
  Object.assign(STRINGS.en, { inbox: "Replies to you", inboxNew: "{n} new", inboxEmpty: "No replies to you here yet.", markRead: "Mark all read", linkAccount: "Link to my Hearth account",
    replySent: "Your reply is published.", replyHeld: "Your reply is waiting for a moderator." });
  Object.assign(STRINGS.de, { inbox: "Antworten an dich", inboxNew: "{n} neu", inboxEmpty: "Hier noch keine Antworten an dich.", markRead: "Alle als gelesen markieren", linkAccount: "Mit meinem Hearth-Konto verbinden",
    replySent: "Deine Antwort ist veröffentlicht.", replyHeld: "Deine Antwort wartet auf die Moderation." });

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
      try {
        if (marking) await this.call("/inbox/read", { method: "POST", body: JSON.stringify({ all: true }) });
        const page = await this.call("/inbox?limit=10");
        // Only the bodies, sanitised by the server, go in as HTML; names, titles and addresses are escaped.
        panel.replaceChildren(page.items.length ? this.fragment((page.unread ? `<button type="button" class="link mark-read">${esc(this.t("markRead"))}</button>` : "") +
          "<ul>" + page.items.map((i, n) => `<li class="${i.read ? "" : "unread"}"><p class="muted"><strong>${esc(i.comment.authorName)}</strong> · ` +
            `<a href="${esc(i.thread.url)}" target="_top">${esc(i.thread.title || i.thread.url)}</a> · <time datetime="${esc(i.comment.createdAt)}">${esc(this.ago(new Date(i.comment.createdAt)))}</time></p>` +
            // A welcome's words; none for the others.
            (i.message ? `<p>${esc(i.message)}</p>` : "") +
            `<div class="body">${i.comment.html}</div>` +
            (i.kind === "reply" || i.kind === "mention" ? `<button type="button" class="link answer" data-n="${n}">${esc(this.t("reply"))}</button>` : "") +
            "</li>").join("") + "</ul>") : h("p", { class: "muted" }, this.t("inboxEmpty")));
        panel.querySelector(".mark-read")?.addEventListener("click", () => this.toggleInbox(true, true));
        for (const button of panel.querySelectorAll("button.answer")) button.addEventListener("click", () => this.answer(page.items[Number(button.dataset.n)], button));
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
          await this.call("/inbox/read", { method: "POST", body: JSON.stringify({ ids: [item.id] }) }).catch(() => {});
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
