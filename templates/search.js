/* The search box in the masthead and the search page (search/index.html), on the Pagefind
   bundle each build writes under pagefind/.

   A plain deferred script, not a module, and no library: a page opened from a file loads it
   without a CORS error, and it then says plainly that search needs the site to be served over
   HTTP (browsers refuse a file page the index) instead of failing in the console.

   Titles, names and topics in the index come from front matter: they are inserted as text.
   Only Pagefind's excerpts carry markup, and of it only their <mark> elements are kept.

   The page's state (query, filters, order) lives in its address, so a search can be linked
   and a reload gives the same results. This file is rendered by Tera like the templates, so
   it must not contain Tera's opening delimiters. */
(() => {
  "use strict";

  const script = document.currentScript;
  const here = new URL(location.href);
  // `data-root` is the way from this page to the site root, which may be a sub-folder.
  const siteRoot = new URL((script && script.dataset.root) || "./", here);
  const offline = here.protocol === "file:";

  /* ---- Every page: the masthead box and the "/" shortcut ---------------------------------- */

  const siteBox = document.getElementById("site-search-q");

  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.defaultPrevented || typing(event.target)) return;
    const pageBox = document.getElementById("search-q");
    const box = pageBox && !pageBox.closest("[hidden]") ? pageBox : siteBox;
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // From a file the box still leads to the search page, which explains; say it here first.
  if (siteBox && offline) {
    const note = document.getElementById("site-search-offline");
    siteBox.addEventListener("focus", () => {
      if (!note) return;
      note.hidden = false;
      siteBox.setAttribute("aria-describedby", note.id);
    });
  }

  /** Whether a key pressed in `target` is someone typing. */
  function typing(target) {
    if (!(target instanceof Element)) return false;
    if (target.isContentEditable || target.matches("textarea, select")) return true;
    const buttons = ["button", "submit", "reset", "checkbox", "radio", "image", "range", "color", "file"];
    return target.matches("input") && !buttons.includes(target.type);
  }

  /* ---- The interface's language ---------------------------------------------------------- */

  // The search page carries its messages in the page's language (`#search-messages`, from the
  // site's tables): text, or forms by CLDR plural category, which the browser's
  // Intl.PluralRules picks as ICU does at build time. English stands in for a missing one.
  const lang = document.documentElement.lang || "en";
  const ENGLISH = {
    search_searching: "Searching…",
    search_options_set: "{n} set",
    more_results_left: "More results ({n} more)",
    search_failed: "Search could not be loaded{why}. The archive and the topics list every brief.",
    search_results: { one: "{n} result", other: "{n} results" },
    search_no_results: "No results",
    search_for: "for “{query}”",
    search_newest_first: "newest first",
    search_oldest_first: "oldest first",
    search_try_fewer: "Try fewer filters, or best match.",
    pages_count: { one: "{n} page", other: "{n} pages" },
    status_label: "Status:",
    topics: "Topics",
    kind_brief: "Brief",
    kind_topic: "Topic",
    kind_person: "Person",
    kind_place: "Place",
    kind_organization: "Organization",
    kind_tag: "Tag",
    status_developing: "Developing",
    status_confirmed: "Confirmed",
    status_disputed: "Disputed",
    status_denied: "Denied",
  };
  const messages = (() => {
    const node = document.getElementById("search-messages");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (error) {
      return {};
    }
  })();
  const plurals = new Intl.PluralRules(lang);

  /** A message with `{n}` and the other placeholders filled. */
  function msg(key, n, args) {
    let text = key in messages ? messages[key] : ENGLISH[key];
    if (text && typeof text === "object") text = text[plurals.select(n)] || text.other;
    const values = Object.assign({ n }, args);
    return String(text || key).replace(/\{(\w+)\}/g, (all, name) =>
      name in values && values[name] !== undefined ? String(values[name]) : all,
    );
  }

  /* ---- The search page ------------------------------------------------------------------- */

  function searchPage(page) {
    const PAGE_SIZE = 10;
    const form = document.getElementById("search-form");
    const query = document.getElementById("search-q");
    const order = document.getElementById("search-sort");
    const clear = document.getElementById("search-clear");
    const drawer = document.getElementById("search-options");
    const setCount = document.getElementById("search-options-set");
    const live = document.getElementById("search-summary");
    const list = document.getElementById("search-results");
    const more = document.getElementById("search-more");
    if (offline) {
      document.getElementById("search-offline").hidden = false;
      return;
    }
    form.hidden = false;

    const filters = [...form.querySelectorAll("[data-filter]")];
    const initial = new URLSearchParams(here.search);
    // Each filter's values as the index spells them, by their lower case: a typed name matches
    // whatever its case.
    const known = new Map();
    let generation = 0;
    let results = [];
    let shown = 0;
    let timer = 0;

    query.value = initial.get("q") || "";
    for (const control of filters) {
      if (control.tagName === "INPUT") control.value = initial.get(control.name) || "";
    }
    if (["date-desc", "date-asc"].includes(initial.get("sort"))) order.value = initial.get("sort");
    const start = read();
    if (active(start)) live.textContent = msg("search_searching");
    // Open where there is room, or where the address sets some: on a phone they fill a screen.
    drawer.open =
      Boolean(start.sort) ||
      filters.some((control) => initial.get(control.name)) ||
      matchMedia("(min-width: 48rem)").matches;

    const bundle = new URL(page.dataset.bundle || "../pagefind/", here);
    const ready = (async () => {
      const pagefind = await import(new URL("pagefind.js", bundle).href);
      // Results come back as the index holds them, from the site root: `/briefs/x/index.html`.
      // On the page's own thread: with Pagefind's web worker the page stalled at start in about
      // one load in six (seen with Python's http.server, bench/search_bytes.py), and the worker
      // fetched the index's metadata and WebAssembly a second time.
      await pagefind.options({ baseUrl: "/", noWorker: true });
      fill(await pagefind.filters());
      return pagefind;
    })();
    run();

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      run();
    });
    query.addEventListener("input", () => later(250));
    for (const control of filters) {
      if (control.tagName === "SELECT") {
        control.addEventListener("change", () => run());
      } else {
        control.addEventListener("change", () => {
          control.value = canonical(control.dataset.filter, control.value);
          run();
        });
        // A name picked from the list, or the field emptied, applies at once.
        control.addEventListener("input", () => {
          const value = control.value.trim();
          const names = known.get(control.dataset.filter);
          if (!value || (names && names.has(value.toLowerCase()))) later(150);
        });
      }
    }
    order.addEventListener("change", () => run());
    clear.addEventListener("click", () => {
      for (const control of filters) control.value = "";
      order.value = "";
      run();
    });
    more.addEventListener("click", async () => {
      const ticket = generation;
      more.disabled = true;
      const items = await next();
      more.disabled = false;
      if (ticket !== generation) return;
      list.append(...items);
      update();
      // Keyboard and screen reader users carry on from the first new result.
      const link = items.length ? items[0].querySelector("a") : null;
      if (link) link.focus();
    });

    function later(ms) {
      clearTimeout(timer);
      timer = setTimeout(run, ms);
    }

    /** The form's state: the query, the filters set, the order. */
    function read() {
      const state = { q: query.value.trim(), filters: {}, sort: order.value };
      for (const control of filters) {
        const value = canonical(control.dataset.filter, control.value);
        if (value) state.filters[control.dataset.filter] = value;
      }
      return state;
    }

    function active(state) {
      return Boolean(state.q || state.sort || Object.keys(state.filters).length);
    }

    /** The value as the index spells it, when a value differs from it only in case. */
    function canonical(filter, value) {
      const trimmed = value.trim();
      const spellings = known.get(filter);
      return (spellings && spellings.get(trimmed.toLowerCase())) || trimmed;
    }

    /** Keeps the state in the address: `?q=…&topic=Iran&sort=date-desc`. */
    function remember(state) {
      const params = new URLSearchParams();
      if (state.q) params.set("q", state.q);
      for (const control of filters) {
        const value = state.filters[control.dataset.filter];
        if (value) params.set(control.name, value);
      }
      if (state.sort) params.set("sort", state.sort);
      const search = params.toString();
      history.replaceState(history.state, "", search ? `?${search}` : location.pathname);
    }

    async function run() {
      clearTimeout(timer);
      const ticket = ++generation;
      let pagefind;
      try {
        // The filters' options come with the index: read the form once they are there.
        pagefind = await ready;
      } catch (error) {
        if (ticket === generation) failed(error);
        return;
      }
      if (ticket !== generation) return;
      const state = read();
      remember(state);
      const set = Object.keys(state.filters).length + (state.sort ? 1 : 0);
      setCount.textContent = set ? ` (${msg("search_options_set", set)})` : "";
      if (!active(state)) {
        results = [];
        shown = 0;
        list.replaceChildren();
        update();
        live.textContent = "";
        return;
      }
      list.setAttribute("aria-busy", "true");
      try {
        const options = { filters: state.filters };
        if (state.sort) options.sort = { date: state.sort === "date-asc" ? "asc" : "desc" };
        // No words: every page the filters allow (with an order, every dated one).
        const found = await pagefind.search(state.q || null, options);
        if (ticket !== generation || !found) return;
        results = found.results;
        shown = 0;
        const items = await next();
        if (ticket !== generation) return;
        list.replaceChildren(...items);
      } catch (error) {
        if (ticket === generation) failed(error);
        return;
      } finally {
        if (ticket === generation) list.removeAttribute("aria-busy");
      }
      update();
      live.textContent = summary(state, results.length);
    }

    /** The next page of results as list items. */
    async function next() {
      const slice = results.slice(shown, shown + PAGE_SIZE);
      shown += slice.length;
      const data = await Promise.all(slice.map((r) => r.data()));
      return data.map(item);
    }

    function update() {
      const left = results.length - shown;
      more.hidden = left <= 0;
      more.textContent = msg("more_results_left", left);
    }

    function failed(error) {
      results = [];
      shown = 0;
      list.replaceChildren();
      list.removeAttribute("aria-busy");
      update();
      const why = error && error.message ? ` (${error.message})` : "";
      live.textContent = msg("search_failed", undefined, { why });
    }

    /** "3 results for “peskov” (topic: Iran), newest first." */
    function summary(state, count) {
      let text = count === 0 ? msg("search_no_results") : msg("search_results", count);
      if (state.q) text += ` ${msg("search_for", undefined, { query: state.q })}`;
      const set = filters
        .filter((control) => state.filters[control.dataset.filter])
        .map((control) => `${label(control).toLowerCase()}: ${state.filters[control.dataset.filter]}`);
      if (set.length) text += ` (${set.join(", ")})`;
      if (state.sort) {
        text += `, ${msg(state.sort === "date-asc" ? "search_oldest_first" : "search_newest_first")}`;
      }
      text += ".";
      if (count === 0 && (set.length || state.sort)) text += ` ${msg("search_try_fewer")}`;
      return text;
    }

    function label(control) {
      const l = control.labels && control.labels[0];
      return l ? l.textContent.trim() : control.name;
    }

    /** Fills the filters' options from the index: every value, with how many pages have it. */
    function fill(all) {
      for (const control of filters) {
        const name = control.dataset.filter;
        const counts = (all && all[name]) || {};
        const values = Object.keys(counts).sort(ordering(name));
        known.set(name, new Map(values.map((v) => [v.toLowerCase(), v])));
        if (control.tagName === "SELECT") {
          const wanted = canonical(name, initial.get(control.name) || "");
          const options = values.map((v) => option(v, `${v} (${counts[v]})`));
          if (wanted && !values.includes(wanted)) options.push(option(wanted, `${wanted} (0)`));
          control.replaceChildren(control.options[0], ...options);
          control.value = wanted;
        } else {
          control.value = canonical(name, control.value);
          const listed = control.list;
          if (listed) {
            listed.replaceChildren(
              ...values.map((v) => option(v, msg("pages_count", counts[v]))),
            );
          }
        }
      }
    }

    function ordering(name) {
      const kinds = ["brief", "topic", "person", "place", "organization", "tag"].map((k) =>
        msg(`kind_${k}`),
      );
      if (name === "year") return (a, b) => b.localeCompare(a, "en", { numeric: true });
      if (name === "type") return (a, b) => rank(kinds, a) - rank(kinds, b) || a.localeCompare(b);
      return (a, b) => a.localeCompare(b, undefined, { sensitivity: "base" });
    }

    function rank(order, value) {
      const i = order.indexOf(value);
      return i < 0 ? order.length : i;
    }
  }

  /* ---- One result ------------------------------------------------------------------------ */

  // As the build writes dates: bare English day first, and the Gregorian calendar everywhere.
  const DATE = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : lang, {
    calendar: "gregory",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });

  /** A result as a list item: its title linked, kind, date, status, topics and excerpt. */
  function item(data) {
    const meta = data.meta || {};
    const facets = data.filters || {};
    const li = element("li", "search-result");

    const heading = element("h2", "search-result-title");
    const link = element("a");
    link.href = resolve(data.raw_url || data.url);
    link.textContent = meta.title || link.pathname;
    heading.append(link);
    li.append(heading);

    const line = element("p", "meta search-result-meta");
    const kind = first(facets.type);
    if (kind) line.append(element("span", "search-result-kind", kind));
    const date = day(meta.date);
    if (date) {
      const time = element("time", null, date.text);
      time.dateTime = date.iso;
      line.append(time);
    }
    const state = first(facets.status);
    if (state) {
      // The filter holds the status in the page's language; its class is the status's key.
      const key = ["developing", "confirmed", "disputed", "denied"].find(
        (k) => msg(`status_${k}`) === state,
      );
      const badge = element("span", `status status-${key || slug(state)}`);
      badge.append(element("span", "visually-hidden", `${msg("status_label")} `), state);
      line.append(badge);
    }
    if (line.childNodes.length) li.append(line);

    // A topic page's own topic is its title; a brief's topics say where it belongs.
    const topics = kind === msg("kind_topic") ? [] : facets.topic || [];
    if (topics.length) {
      const ul = element("ul", "search-result-topics");
      ul.setAttribute("aria-label", msg("topics"));
      for (const topic of topics) ul.append(element("li", null, topic));
      li.append(ul);
    }

    if (data.excerpt) {
      const excerpt = element("p", "search-excerpt");
      excerpt.append(...marked(data.excerpt));
      li.append(excerpt);
    }
    return li;
  }

  /** A result's address, `/briefs/x/index.html` in the index, under the site root. */
  function resolve(path) {
    return new URL(String(path || "").replace(/^\/+/, ""), siteRoot).href;
  }

  /** `{ iso: "2025-03-11", text: "11 March 2025" }` from an ISO date or date-time. */
  function day(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value || "");
    if (!m) return null;
    const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return Number.isNaN(date.getTime()) ? null : { iso: m[0], text: DATE.format(date) };
  }

  /** An excerpt's text with its <mark>s, and nothing else of its markup. */
  function marked(html) {
    // A template's content is inert: nothing in it runs or loads.
    const template = document.createElement("template");
    template.innerHTML = html;
    return [...template.content.childNodes].map((node) =>
      node.nodeName === "MARK"
        ? element("mark", null, node.textContent)
        : document.createTextNode(node.textContent),
    );
  }

  function first(values) {
    return Array.isArray(values) && values.length ? String(values[0]) : "";
  }

  function slug(text) {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  }

  function option(value, text) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  }

  function element(name, className, text) {
    const e = document.createElement(name);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  const page = document.getElementById("search-page");
  if (page) searchPage(page);
})();
