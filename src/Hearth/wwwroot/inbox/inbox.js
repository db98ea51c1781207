// The inbox page, live: the server's stream says when something new has arrived for this person, and the page reads
// its newest notifications, drawn by the server as the page draws them, and puts the ones it lacks at the top. The
// stream carries no words, and what is read comes with the person's own cookie, so nothing of anyone else passes here.
// Replies already open and half written are left alone: only new items are added (in the conversations view, a
// conversation with news is drawn again and moves to the top, unless a reply is being written in it). The team inbox is the same page
// over the comments of the sites the person runs: the list says where its stream and its newest items are.
"use strict";
(() => {
  const list = document.getElementById("inbox-items");
  if (!list || typeof EventSource === "undefined") return;
  const unread = document.getElementById("unread");
  const markAll = document.getElementById("mark-all");
  const empty = document.getElementById("inbox-empty");
  const latestUrl = list.dataset.latest ?? "/account/inbox/latest";
  const liveUrl = list.dataset.live ?? "/account/inbox/live";
  const prefix = list.dataset.prefix ?? "n";
  // The conversations view: a conversation already shown moves up and is drawn again when something happens in it.
  const reorder = list.dataset.order === "latest";
  let reading = false;
  let again = false;

  async function refresh() {
    // One read at a time; whatever arrives meanwhile is read once more after it.
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        const response = await fetch(latestUrl, { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        show(await response.json());
      } while (again);
    } catch {
      // The next event, or the next time the stream opens, reads again.
    } finally {
      reading = false;
    }
  }

  /** @param {{ unread: number, unreadText: string, items: { id: number, html: string }[] }} latest */
  function show(latest) {
    if (unread.textContent !== latest.unreadText) unread.textContent = latest.unreadText;
    markAll.hidden = latest.unread === 0;
    // Walking from the oldest of the newest, each missing item goes just above the next older one shown.
    const listed = new Set(latest.items.map((item) => prefix + item.id));
    let older = [...list.children].find((li) => !listed.has(li.id)) ?? null;
    for (const item of [...latest.items].reverse()) {
      const shown = document.getElementById(prefix + item.id);
      if (shown && !reorder) {
        older = shown;
        continue;
      }
      const template = document.createElement("template");
      template.innerHTML = item.html;
      const li = /** @type {HTMLElement} */ (template.content.firstElementChild);
      if (shown && (shown.dataset.v === li.dataset.v || writing(shown))) {
        if (shown.nextElementSibling !== older && !writing(shown)) list.insertBefore(shown, older);
        older = shown;
        continue;
      }
      li.classList.add("arrived");
      if (shown) shown.remove();
      list.insertBefore(li, older);
      older = li;
    }
    empty.hidden = list.children.length > 0;
  }

  /** A reply open and started, or the place being typed in: left exactly where it is. @param {HTMLElement} li */
  function writing(li) {
    const open = li.querySelector("details[open] textarea");
    return li.contains(document.activeElement) || (open instanceof HTMLTextAreaElement && open.value !== "");
  }

  // "ready" also after each reconnection: whatever came while the stream was away is read then. The browser
  // reconnects by itself after a dropped connection, but gives up on an answer that is not a stream (too many open,
  // a restart behind a proxy): then this page tries again, waiting longer each time.
  let wait = 5000;
  const listen = () => {
    const stream = new EventSource(liveUrl);
    stream.addEventListener("ready", () => {
      wait = 5000;
      refresh();
    });
    stream.addEventListener("notification", refresh);
    stream.addEventListener("moved", refresh);
    stream.addEventListener("error", () => {
      if (stream.readyState === EventSource.CLOSED) {
        setTimeout(listen, wait);
        wait = Math.min(wait * 2, 120000);
      }
    });
  };
  listen();
})();
