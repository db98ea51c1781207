// The script in the embed snippet. Kept tiny: it starts the thread request at once, then loads the
// widget (fingerprinted, cached for a year) which picks the request up. The server fills in the
// widget's address; nothing here talks to anyone but this Hearth server.
(() => {
  const script = document.currentScript;
  if (!script) return;
  const data = script.dataset;
  const base = new URL(script.src).origin;
  const api = base + "/api/v1/sites/" + encodeURIComponent(data.site || "");
  const lang = (data.lang || document.documentElement.lang || navigator.language || "en").slice(0, 2).toLowerCase();
  const texts = {
    en: [["comment", "comments"], "The comments could not be loaded. Please try again later."],
    de: [["Kommentar", "Kommentare"], "Die Kommentare konnten nicht geladen werden. Bitte versuche es später noch einmal."],
  };

  const counted = document.querySelectorAll("[data-hearth-count]");
  if (counted.length) {
    const query = new URLSearchParams();
    counted.forEach((el) => query.append("thread", el.dataset.hearthCount));
    const words = (texts[lang] || texts.en)[0];
    fetch(api + "/counts?" + query)
      .then((r) => (r.ok ? r.json() : Promise.reject(r)))
      .then((body) => counted.forEach((el) => {
        const n = body.counts[el.dataset.hearthCount] || 0;
        el.textContent = n.toLocaleString(lang) + " " + words[n === 1 ? 0 : 1];
      }))
      .catch(() => {});
  }

  const el = document.getElementById(data.target || "hearth-thread");
  if (!el || !data.site) return;
  const canonical = document.querySelector('link[rel="canonical"]');
  const url = data.url || (canonical && canonical.href) || location.href.split("#")[0];
  const where = new URLSearchParams({ url });
  if (data.identifier) where.set("identifier", data.identifier);
  // The page's author, as the snippet names them, goes with every read of the thread (the other calls ignore it).
  if (data.author) where.set("author", data.author);
  const options = {
    el, base, api, where, lang,
    title: data.title || document.title,
    theme: data.theme || "auto",
    css: base + "__WIDGET_CSS__",
    member: base + "__WIDGET_MEMBER_JS__",
    mention: base + "__WIDGET_MENTION_JS__",
    sso: data.ssoToken,
    site: data.site,
  };
  // The answer itself, not only its JSON: the widget reads a refusal's code to say what is wrong.
  // It also counts the page view, a number per page and day with nothing of the reader, unless they asked not to be tracked.
  options.first = fetch(api + "/thread?" + where + (navigator.doNotTrack == "1" || navigator.globalPrivacyControl ? "" : "&view=1"));
  options.first.catch(() => {});
  // The stylesheet goes into the widget's shadow root now, so it loads alongside the widget and the thread and is
  // ready when the widget draws, instead of being asked for only once the widget runs.
  if (!el.shadowRoot) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = options.css;
    el.attachShadow({ mode: "open" }).appendChild(link);
  }
  // The first relative-time formatter in a page costs the browser 10 to 25 ms of loading locale data. Paying that
  // now, while the requests are in flight, keeps it off the moment the thread is drawn.
  setTimeout(() => new Intl.RelativeTimeFormat(lang, { numeric: "auto" }));
  (window.hearthQueue = window.hearthQueue || []).push(options);
  if (!window.hearthWidget) {
    window.hearthWidget = 1;
    const widget = document.createElement("script");
    widget.src = base + "__WIDGET_JS__";
    widget.async = true;
    // Without the widget (the server is down, or its address in the snippet is wrong) the area would stay empty.
    widget.onerror = () => {
      console.error("Hearth: the widget could not be loaded from " + base + ". Is the server running, and is this its address in the embed snippet?");
      for (const o of window.hearthQueue) {
        const p = document.createElement("p");
        p.textContent = (texts[o.lang] || texts.en)[1];
        o.el.shadowRoot.append(p);
      }
    };
    document.head.appendChild(widget);
  }
})();
