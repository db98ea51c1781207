// What only signed-in readers use, loaded by the widget once someone is signed in: their inbox (replies, mentions
// and new comments in followed conversations, on this site) with the count of new ones, and linking the site's
// sign-in to a Hearth account. The
// widget sets window.hearthExtend before loading this file; the methods added here serve every thread on the page.
"use strict";
window.hearthExtend((proto, { h, esc, STRINGS }) => {
  Object.assign(STRINGS.en, { inbox: "Replies to you", inboxNew: "{n} new", inboxEmpty: "No replies to you here yet.", markRead: "Mark all read", linkAccount: "Link to my Hearth account" });
  Object.assign(STRINGS.de, { inbox: "Antworten an dich", inboxNew: "{n} neu", inboxEmpty: "Hier noch keine Antworten an dich.", markRead: "Alle als gelesen markieren", linkAccount: "Mit meinem Hearth-Konto verbinden" });
  Object.assign(proto, {
    /** The signed-in person's replies from every site: a button in the head with the count of new ones. */
    inboxButton() {
      const n = this.unread > 99 ? "99+" : this.unread;
      return h("button", { type: "button", class: "link inbox", "aria-expanded": String(this.inboxPanel?.hidden === false), "aria-controls": "hinbox",
        onclick: () => this.toggleInbox(this.inboxPanel.hidden) }, this.t("inbox") + (n ? ": " + this.t("inboxNew", { n }) : ""));
    },

    async refreshInbox(page) {
      if (!this.member) return;
      try {
        this.unread = (page ?? (await this.call("/inbox/unread"))).unread;
      } catch {
        return;
      }
      // Signed in after the thread was drawn: the button and its panel join the head now.
      const old = this.root.querySelector(".head .inbox");
      if (old) old.replaceWith(this.inboxButton());
      else this.root.querySelector(".head h2")?.after(this.inboxButton());
      this.inboxPanel ??= h("section", { id: "hinbox", class: "inbox", hidden: true });
      if (!this.inboxPanel.isConnected) this.root.querySelector(".head")?.after(this.inboxPanel);
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
          "<ul>" + page.items.map((i) => `<li class="${i.read ? "" : "unread"}"><p class="muted"><strong>${esc(i.comment.authorName)}</strong> · ` +
            `<a href="${esc(i.thread.url)}" target="_top">${esc(i.thread.title || i.thread.url)}</a> · <time datetime="${esc(i.comment.createdAt)}">${esc(this.ago(new Date(i.comment.createdAt)))}</time></p>` +
            // A welcome's words; none for the others.
            (i.message ? `<p>${esc(i.message)}</p>` : "") +
            `<div class="body">${i.comment.html}</div></li>`).join("") + "</ul>") : h("p", { class: "muted" }, this.t("inboxEmpty")));
        panel.querySelector(".mark-read")?.addEventListener("click", () => this.toggleInbox(true, true));
        // Someone the page's site signs in may link that to their Hearth account: they sign in to it in Hearth's own
        // window, which hands its token to this page only, and both sessions go to the server together.
        if (this.o.sso) panel.append(h("button", { type: "button", class: "link link-account", onclick: () => this.linkAccount() }, this.t("linkAccount")));
        this.refreshInbox(page);
      } catch (err) {
        panel.replaceChildren(h("p", { class: "error", role: "alert" }, /** @type {Error} */ (err).message));
      }
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
