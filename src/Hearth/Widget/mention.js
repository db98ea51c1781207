// Names to mention. Typing "@" and a letter or more in a comment box lists the people of the conversation a mention
// reaches (GET .../thread/participants: those who wrote here with an account), newest first. Loaded by the widget the
// first time someone on the page types "@"; it then looks after each comment box it is given.
// The box is a combobox in the ARIA sense: focus stays in it, the arrow keys move through the list
// (aria-activedescendant), Enter or Tab takes a name, Escape closes the list, and how many names there are is said
// aloud. The list sits in the form below the box, never over it, so it covers neither the Post button nor the fields.
"use strict";
window.hearthMentions((() => {
  /** Names shown at once; the server answers a few more. */
  const SHOWN = 8;
  /** "@" where a word starts, then what was typed so far: as the server finds mentions (Notifications/Mentions.cs). */
  const TYPED = /(?:^|[^\p{L}\p{N}_.@/])@([\p{L}\p{N}_.'-]{1,80})$/u;
  const CSS = `
    .mentions { list-style: none; margin: 0.25em 0 0; padding: 0.25em; border: 1px solid var(--border); border-radius: var(--radius);
      background: var(--bg); max-height: 17em; overflow-y: auto; }
    .mentions li { display: flex; align-items: center; gap: 0.5em; padding: 0.3em 0.5em; border-radius: var(--radius); cursor: pointer;
      outline: 2px solid transparent; }
    .mentions li[aria-selected="true"] { background: var(--surface); outline-color: var(--accent); outline-offset: -2px; }
    .mentions .avatar { width: 24px; height: 24px; }
    .mentions .muted { min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  `;
  let sheet;
  let started = false;

  return (thread, text, { h, STRINGS }) => {
    if (text.mention) return text.mention();
    if (!started) {
      started = true;
      Object.assign(STRINGS.en, {
        mentionPeople: "People in this conversation",
        mentionFound: ["{n} person to mention: up and down arrows choose, Enter takes.", "{n} people to mention: up and down arrows choose, Enter takes."],
        mentionNone: "Nobody of this conversation has that name.",
      });
      Object.assign(STRINGS.de, {
        mentionPeople: "Leute in diesem Gespräch",
        mentionFound: ["{n} Person zum Erwähnen: Pfeiltasten wählen, Eingabe übernimmt.", "{n} Personen zum Erwähnen: Pfeiltasten wählen, Eingabe übernimmt."],
        mentionNone: "Niemand in diesem Gespräch heißt so.",
      });
    }
    // Constructed rather than a <style> element, which a host page's Content-Security-Policy may forbid.
    if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(CSS);
    if (!thread.root.adoptedStyleSheets.includes(sheet)) thread.root.adoptedStyleSheets = [...thread.root.adoptedStyleSheets, sheet];

    const list = h("ul", { id: text.id + "m", class: "mentions", role: "listbox", "aria-label": thread.t("mentionPeople"), hidden: true });
    text.after(list);
    for (const [name, value] of [["role", "combobox"], ["aria-autocomplete", "list"], ["aria-expanded", "false"], ["aria-controls", list.id]]) text.setAttribute(name, value);

    let people = [];
    let active = -1;
    let token = null;
    /** Where a mention began that Escape closed: it stays closed while that one is typed. */
    let dismissed = -1;
    let asked = 0;
    let said = -1;
    let timer;
    const answers = new Map();

    const close = () => {
      clearTimeout(timer);
      asked++;
      said = -1;
      people = [];
      active = -1;
      list.hidden = true;
      list.replaceChildren();
      text.setAttribute("aria-expanded", "false");
      text.removeAttribute("aria-activedescendant");
    };

    const mark = () => {
      [...list.children].forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
      const option = list.children[active];
      if (option) {
        text.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else text.removeAttribute("aria-activedescendant");
    };

    const show = (found) => {
      people = found.slice(0, SHOWN);
      active = people.length ? 0 : -1;
      list.replaceChildren(...people.map((p, i) => {
        const avatar = h("span", { class: "avatar" });
        avatar.style.backgroundImage = `url("${encodeURI(thread.o.base + p.avatarUrl)}")`;
        const option = h("li", { id: list.id + i, role: "option" }, avatar, h("span", { class: "name" }, p.name), h("span", { class: "muted" }, "@" + p.mention));
        // The box keeps focus (and the caret its place) when a name is clicked or tapped.
        option.addEventListener("mousedown", (e) => e.preventDefault());
        option.addEventListener("click", () => take(i));
        return option;
      }));
      list.hidden = !people.length;
      text.setAttribute("aria-expanded", String(!!people.length));
      mark();
      // Said once for each new count, not at every letter that leaves it as it was.
      if (people.length !== said) thread.live.textContent = people.length ? thread.t("mentionFound", { n: people.length }) : thread.t("mentionNone");
      said = people.length;
    };

    const take = (i) => {
      const person = people[i];
      if (!person || !token) return;
      text.setRangeText("@" + person.mention + " ", token.start, text.selectionEnd, "end");
      close();
      // The draft and the length counter follow, as for anything typed.
      text.dispatchEvent(new Event("input"));
      text.focus();
    };

    const update = () => {
      const before = text.value.slice(0, text.selectionEnd);
      const typed = text.selectionStart === text.selectionEnd && TYPED.exec(before)?.[1];
      if (!typed) dismissed = -1;
      const start = typed ? before.length - typed.length - 1 : -1;
      // A closed conversation takes no comment, so there is nobody to name (the server says so as well).
      if (!typed || start === dismissed || thread.closed || thread.thread?.locked) return close();
      token = { start };
      const key = thread.lastEventId + "|" + typed.toLowerCase();
      const mine = ++asked;
      clearTimeout(timer);
      if (answers.has(key)) return show(answers.get(key));
      // Asked once typing pauses, and only the answer to the last question is shown.
      timer = setTimeout(async () => {
        const q = new URLSearchParams(thread.o.where);
        q.set("q", typed);
        try {
          // A plain request without the reader's token: anyone may ask, and the browser need not ask first.
          const { participants } = await thread.read(fetch(thread.o.api + "/thread/participants?" + q));
          answers.set(key, participants);
          if (mine === asked) show(participants);
        } catch (e) {
          if (e instanceof Error && e.message === thread.t("thread_locked")) thread.closed = true;
          if (mine === asked) close();
        }
      }, 150);
    };

    text.addEventListener("input", update);
    text.addEventListener("click", update);
    text.addEventListener("keyup", (e) => ["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key) && update());
    text.addEventListener("blur", close);
    text.addEventListener("keydown", (e) => {
      if (list.hidden || e.isComposing) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        active = (active + (e.key === "ArrowDown" ? 1 : people.length - 1)) % people.length;
        mark();
      } else if ((e.key === "Enter" || e.key === "Tab") && !e.shiftKey && !e.ctrlKey && !e.metaKey) take(active);
      else if (e.key === "Escape") {
        dismissed = token.start;
        close();
      } else return;
      e.preventDefault();
    });
    (text.mention = update)();
  };
})());
