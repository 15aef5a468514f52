// Polybius explorer: vanilla JS over the JSON API (/docs). Every value from the store or the user reaches
// the page through textContent, Text nodes or fixed-name attributes, never as HTML.
"use strict";

(() => {
  const FILTER_FIELDS = ["actor", "source", "target", "code", "root", "plover", "since", "until", "location", "q"];
  const COLUMNS = [
    { key: "date", label: "Date", sort: "date" },
    { key: "source", label: "Source", sort: "source", title: "source_text" },
    { key: "cameo", label: "CAMEO", sort: "cameo", title: "cameo_name" },
    { key: "plover", label: "PLOVER", sort: "plover" },
    { key: "target", label: "Target", sort: "target", title: "target_text" },
    { key: "goldstein", label: "Goldstein", sort: "goldstein", numeric: true },
    { key: "num_articles", label: "Articles", sort: "num_articles", numeric: true },
    { key: "trigger", label: "Trigger", sort: "trigger" },
  ];
  const QUAD_COLORS = { 1: "#8cc084", 2: "#2e7d32", 3: "#f0a04b", 4: "#c62828" };
  const CLAIM_ROLES = [
    ["issued_by", "issued by"],
    ["released_by", "released by"],
    ["confirmed_by", "confirmed by"],
    ["denied_by", "denied by"],
    ["no_comment_from", "no comment from"],
    ["reported_by", "reported by"],
  ];
  // Vega under a strict Content-Security-Policy: expressions interpreted, not compiled with Function (ast),
  // and no <style> elements injected (defaultStyle, disableDefaultStyle: app.css styles the tooltip).
  const EMBED = {
    actions: false,
    defaultStyle: false,
    renderer: "svg",
    ast: true,
    tooltip: { disableDefaultStyle: true },
  };

  const state = {
    sort: "date",
    order: "desc",
    page: 1,
    perPage: 50,
    by: "week",
    view: "events",
    selected: null, // {article, event}
    stale: { timeline: true, network: true },
    charts: { timeline: null, network: null },
    latest: { events: 0, timeline: 0, network: 0, article: 0 }, // answers to older requests are dropped
  };

  // A ticket for a new request of this kind; `current(kind, ticket)` is false once a newer one was made.
  const ticket = (kind) => ++state.latest[kind];
  const current = (kind, number) => state.latest[kind] === number;

  const $ = (id) => document.getElementById(id);
  const form = () => $("filters");

  // --- DOM helpers: text only ---------------------------------------------------------------------

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child)); // a string becomes a Text node
    }
    return node;
  }

  function clear(node) {
    node.replaceChildren();
    return node;
  }

  function setStatus(message, isError = false) {
    const status = $("status");
    status.textContent = message;
    status.classList.toggle("error", isError);
  }

  function safeHttpUrl(value) {
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  // --- the filter and the API ---------------------------------------------------------------------

  function filterParams() {
    const data = new FormData(form());
    const params = new URLSearchParams();
    for (const name of ["actor", "code", "root", "plover", "since", "until", "location", "q"]) {
      const value = String(data.get(name) || "").trim();
      if (value) params.set(name, value);
    }
    const source = String(data.get("source") || "").trim();
    const target = String(data.get("target") || "").trim();
    if (source && target) params.set("dyad", `${source}:${target}`);
    if (data.get("negated")) params.set("negated", "true");
    return params;
  }

  function withParams(extra) {
    const params = filterParams();
    for (const [key, value] of Object.entries(extra || {})) params.set(key, String(value));
    return params;
  }

  async function api(path, params) {
    const query = params ? `?${params}` : "";
    const response = await fetch(`${path}${query}`, { headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      let message = `HTTP ${response.status}`;
      if (body && body.message) message = body.message;
      else if (body && Array.isArray(body.detail)) {
        message = body.detail.map((d) => `${(d.loc || []).slice(-1)[0]}: ${d.msg}`).join("; ");
      }
      throw new Error(message);
    }
    return body;
  }

  // Filters, view and selection live in the address, so a view can be bookmarked or shared.
  function saveToAddress() {
    const params = filterParams();
    const data = new FormData(form());
    for (const name of ["source", "target"]) {
      const value = String(data.get(name) || "").trim();
      if (value) params.set(name, value);
    }
    params.delete("dyad");
    if (state.view !== "events") params.set("view", state.view);
    if (state.by !== "week") params.set("by", state.by);
    if (state.sort !== "date" || state.order !== "desc") {
      params.set("sort", state.sort);
      params.set("order", state.order);
    }
    if (state.page > 1) params.set("page", String(state.page));
    if (state.selected) {
      params.set("article", state.selected.article);
      params.set("event", state.selected.event);
    }
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  function loadFromAddress() {
    const params = new URLSearchParams(location.search);
    for (const name of FILTER_FIELDS) {
      const input = form().elements.namedItem(name);
      if (input && params.has(name)) input.value = params.get(name); // .value never parses markup
    }
    form().elements.namedItem("negated").checked = params.get("negated") === "true";
    if (params.has("sort")) state.sort = params.get("sort");
    if (params.get("order") === "asc") state.order = "asc";
    const page = Number.parseInt(params.get("page") || "1", 10);
    state.page = Number.isFinite(page) && page > 0 ? page : 1;
    if (["events", "timeline", "network"].includes(params.get("view"))) state.view = params.get("view");
    if (["day", "week", "month"].includes(params.get("by"))) state.by = params.get("by");
    if (params.has("article") && params.has("event")) {
      state.selected = { article: params.get("article"), event: params.get("event") };
    }
  }

  // --- form choices from /api/meta ----------------------------------------------------------------

  async function loadMeta() {
    const meta = await api("/api/meta");
    const dates = meta.first_date ? `, ${meta.first_date} to ${meta.last_date}` : "";
    $("totals").textContent =
      `${meta.events} events (${meta.reports} reports) from ${meta.articles} articles${dates}`;
    const actors = clear($("actor-list"));
    for (const actor of meta.actors) {
      const option = el("option");
      option.value = actor.code;
      option.label = `${actor.code} (${actor.events})`;
      actors.append(option);
    }
    const locations = clear($("location-list"));
    for (const code of meta.locations) {
      const option = el("option");
      option.value = code;
      locations.append(option);
    }
    const rootSelect = form().elements.namedItem("root");
    for (const root of meta.roots) {
      const option = el("option", null, `${root.code} ${root.name.toLowerCase()}`);
      option.value = root.code;
      rootSelect.append(option);
    }
    const ploverSelect = form().elements.namedItem("plover");
    for (const type of meta.plover_types) {
      const option = el("option", null, type);
      option.value = type;
      ploverSelect.append(option);
    }
  }

  // --- events table -------------------------------------------------------------------------------

  function renderHeader() {
    const row = clear(document.querySelector("#events thead tr"));
    for (const column of COLUMNS) {
      const button = el("button", "sort", column.label);
      button.type = "button";
      button.dataset.sort = column.sort;
      const th = el("th", column.numeric ? "num" : null, button);
      if (state.sort === column.sort) {
        th.setAttribute("aria-sort", state.order === "asc" ? "ascending" : "descending");
        button.append(state.order === "asc" ? " \u25b2" : " \u25bc");
      }
      button.addEventListener("click", () => {
        if (state.sort === column.sort) state.order = state.order === "asc" ? "desc" : "asc";
        else {
          state.sort = column.sort;
          state.order = column.sort === "date" || column.numeric ? "desc" : "asc";
        }
        state.page = 1;
        loadEvents();
      });
      row.append(th);
    }
  }

  function renderRows(rows) {
    const body = clear(document.querySelector("#events tbody"));
    if (!rows.length) {
      const cell = el("td", "muted", "No events match this filter.");
      cell.colSpan = COLUMNS.length;
      body.append(el("tr", null, cell));
      return;
    }
    for (const event of rows) {
      const tr = el("tr", "event-row");
      tr.tabIndex = 0;
      tr.dataset.eventId = event.event_id;
      tr.dataset.articleId = event.article_id;
      if (event.negated) tr.classList.add("negated");
      if (state.selected && state.selected.event === event.event_id) tr.classList.add("selected");
      for (const column of COLUMNS) {
        const value = event[column.key];
        const td = el("td", column.numeric ? "num" : null, value === null ? "" : value);
        if (column.title && event[column.title]) td.title = event[column.title];
        if (column.key === "cameo") td.append(el("span", "cameo-name", ` ${event.cameo_name}`));
        td.classList.add(`col-${column.key}`);
        if (column.key === "goldstein") td.classList.add(event.goldstein < 0 ? "neg" : "pos");
        tr.append(td);
      }
      const open = () => selectEvent(event.article_id, event.event_id);
      tr.addEventListener("click", open);
      tr.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          open();
        }
      });
      body.append(tr);
    }
  }

  async function loadEvents() {
    renderHeader();
    const params = withParams({ sort: state.sort, order: state.order, page: state.page, per_page: state.perPage });
    setStatus("Loading events\u2026");
    const mine = ticket("events");
    try {
      const page = await api("/api/events", params);
      if (!current("events", mine)) return;
      renderRows(page.rows);
      const pages = Math.max(1, Math.ceil(page.total / page.per_page));
      $("page-info").textContent = `Page ${page.page} of ${pages} \u00b7 ${page.total} events`;
      $("prev").disabled = page.page <= 1;
      $("next").disabled = page.page >= pages;
      setStatus(page.total === 1 ? "1 event matches." : `${page.total} events match.`);
    } catch (err) {
      if (!current("events", mine)) return;
      renderRows([]);
      setStatus(`Could not load events: ${err.message}`, true);
    }
    updateDownloads();
    saveToAddress();
  }

  function updateDownloads() {
    const params = withParams({ sort: state.sort, order: state.order });
    $("download-csv").href = `/api/export.csv?${params}`;
    $("download-json").href = `/api/export.json?${params}`;
  }

  // --- timeline (Vega-Lite) -----------------------------------------------------------------------

  function localDate(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(y, m - 1, d);
  }

  function periodEnd(start, by) {
    const end = new Date(start);
    if (by === "day") end.setDate(end.getDate() + 1);
    else if (by === "week") end.setDate(end.getDate() + 7);
    else end.setMonth(end.getMonth() + 1);
    return end;
  }

  // Bars are stacked here, not by Vega-Lite: each is a rect from its period's start to its end and from
  // the classes below it to its own top, so day, week and month bars all sit exactly on their period.
  function stackedBars(series, by) {
    const bars = [];
    const below = new Map();
    for (const row of [...series].sort((a, b) => a.period.localeCompare(b.period) || a.quad_class - b.quad_class)) {
      const start = localDate(row.period);
      const end = periodEnd(start, by);
      const base = below.get(row.period) || 0;
      below.set(row.period, base + row.events);
      const gap = (end - start) * 0.08;
      bars.push({
        ...row,
        quad: `${row.quad_class} ${row.quad_label}`,
        x0: new Date(start.getTime() + gap),
        x1: new Date(end.getTime() - gap),
        y0: base,
        y1: base + row.events,
      });
    }
    return bars;
  }

  function timelineSpec(data, by) {
    const totals = data.totals.map((row) => {
      const start = localDate(row.period);
      return { ...row, x0: new Date((start.getTime() + periodEnd(start, by).getTime()) / 2) }; // mid-period
    });
    const names = ["Verbal cooperation", "Material cooperation", "Verbal conflict", "Material conflict"];
    const labels = names.map((name, i) => `${i + 1} ${name}`);
    const xAxis = { format: by === "month" ? "%b %Y" : "%d %b %Y", labelOverlap: true, title: `Period (${by})` };
    // half a period of room on each side, so a single period is a bar, not the whole plot: an invisible
    // layer spans it (an explicit temporal domain on a layered chart makes Vega-Lite warn of conflicts)
    const starts = data.totals.map((row) => localDate(row.period).getTime());
    const first = Math.min(...starts);
    const last = periodEnd(new Date(Math.max(...starts)), by).getTime();
    const half = (periodEnd(new Date(first), by).getTime() - first) / 2;
    const room = [{ x0: new Date(first - half) }, { x0: new Date(last + half) }];
    return {
      width: "container",
      height: 300,
      encoding: { x: { field: "x0", type: "temporal", axis: xAxis } }, // shared by the layers
      layer: [
        { data: { values: room }, mark: { type: "point", opacity: 0 } },
        {
          data: { values: stackedBars(data.series, by) },
          mark: { type: "rect" },
          encoding: {
            x2: { field: "x1" },
            y: { field: "y0", type: "quantitative", title: "Events" },
            y2: { field: "y1" },
            color: {
              field: "quad",
              type: "nominal",
              title: "QuadClass",
              scale: { domain: labels, range: [1, 2, 3, 4].map((q) => QUAD_COLORS[q]) },
              legend: { orient: "bottom" },
            },
            tooltip: [
              { field: "period", type: "nominal", title: "period" },
              { field: "quad_label", type: "nominal", title: "QuadClass" },
              { field: "events", type: "quantitative" },
              { field: "goldstein_mean", type: "quantitative", title: "mean Goldstein" },
            ],
          },
        },
        {
          data: { values: totals },
          mark: { type: "line", point: true, color: "#333", strokeDash: [4, 3] },
          encoding: {
            y: {
              field: "goldstein_mean",
              type: "quantitative",
              title: "Mean Goldstein (all events)",
              scale: { domain: [-10, 10] },
              axis: { orient: "right" },
            },
            tooltip: [
              { field: "period", type: "nominal", title: "period" },
              { field: "events", type: "quantitative", title: "events" },
              { field: "goldstein_mean", type: "quantitative", title: "mean Goldstein" },
            ],
          },
        },
      ],
      resolve: { scale: { y: "independent" } },
    };
  }

  async function loadTimeline() {
    const params = withParams({ by: state.by });
    const mine = ticket("timeline");
    const data = await api("/api/timeline", params);
    if (!current("timeline", mine)) return;
    const note = data.undated ? `${data.undated} undated events are not shown.` : "";
    const filters = filterParams();
    const who = filters.has("dyad") ? "Events of this dyad" : filters.has("actor") ? "Events of this actor" : "Events";
    $("timeline-note").textContent =
      `${who} per ${data.by}, stacked by QuadClass; the line is their mean Goldstein score. ${note}`;
    const box = clear($("timeline"));
    if (state.charts.timeline) state.charts.timeline.finalize();
    state.charts.timeline = null;
    if (!data.series.length) {
      box.append(el("p", "muted", "No dated events match this filter."));
      return;
    }
    const result = await vegaEmbed(box, timelineSpec(data, data.by), { ...EMBED, mode: "vega-lite" });
    if (current("timeline", mine)) state.charts.timeline = result;
    else result.finalize();
  }

  // --- actor network (Vega force layout) ----------------------------------------------------------

  function networkSpec(data, boxWidth) {
    const width = Math.max(480, (boxWidth || 720) - 20);
    const height = 520;
    // the x and y forces pull each node towards these fields: the centre, so unconnected groups stay in view
    const nodes = data.nodes.map((n) => ({ ...n, xfocus: width / 2, yfocus: height / 2 }));
    return {
      width,
      height,
      autosize: "none",
      padding: 10,
      signals: [
        { name: "cx", update: "width / 2" },
        { name: "cy", update: "height / 2" },
      ],
      data: [
        { name: "node-data", values: nodes },
        // the force layout replaces source/target with node items: keep the codes for the tooltip
        { name: "link-data", values: data.edges.map((e) => ({ ...e, from: e.source, to: e.target })) },
      ],
      scales: [
        { name: "color", type: "linear", domain: [-10, 10], domainMid: 0, range: { scheme: "redyellowgreen" } },
        { name: "size", type: "sqrt", domain: { data: "node-data", field: "events" }, range: [80, 900] },
        { name: "width", type: "linear", domain: { data: "link-data", field: "events" }, range: [1, 8] },
      ],
      legends: [{ fill: "color", title: "Mean Goldstein", orient: "bottom-left", gradientLength: 160 }],
      marks: [
        {
          type: "path",
          from: { data: "link-data" },
          interactive: true,
          encode: {
            update: {
              stroke: { scale: "color", field: "goldstein_mean" },
              strokeWidth: { scale: "width", field: "events" },
              strokeOpacity: { value: 0.85 },
              tooltip: {
                signal:
                  "{'edge': datum.from + ' \u2192 ' + datum.to, 'events': datum.events, " +
                  "'mean Goldstein': datum.goldstein_mean}",
              },
            },
          },
          transform: [
            {
              type: "linkpath",
              require: { signal: "force" },
              shape: "line",
              sourceX: "datum.source.x",
              sourceY: "datum.source.y",
              targetX: "datum.target.x",
              targetY: "datum.target.y",
            },
          ],
        },
        {
          name: "nodes",
          type: "symbol",
          zindex: 1,
          from: { data: "node-data" },
          encode: {
            enter: {
              fill: { value: "#4a6fa5" },
              stroke: { value: "#fff" },
              size: { scale: "size", field: "events" },
              cursor: { value: "pointer" },
              tooltip: { signal: "{'actor': datum.id, 'events': datum.events}" },
            },
          },
          transform: [
            {
              type: "force",
              iterations: 300,
              static: true,
              signal: "force",
              forces: [
                { force: "center", x: { signal: "cx" }, y: { signal: "cy" } },
                { force: "collide", radius: 22 },
                { force: "nbody", strength: -50 },
                { force: "x", x: "datum.xfocus", strength: 0.025 },
                { force: "y", y: "datum.yfocus", strength: 0.04 },
                { force: "link", links: "link-data", id: "datum.id", distance: 90 },
              ],
            },
          ],
        },
        {
          type: "text",
          from: { data: "nodes" },
          interactive: false,
          zindex: 2,
          encode: {
            update: {
              x: { field: "x" },
              y: { field: "y", offset: -12 },
              text: { field: "datum.id" },
              align: { value: "center" },
              fontSize: { value: 11 },
              fill: { value: "#222" },
            },
          },
        },
      ],
    };
  }

  async function loadNetwork() {
    const mine = ticket("network");
    const data = await api("/api/network", filterParams());
    if (!current("network", mine)) return;
    const more = data.truncated ? " Only the strongest edges are drawn." : "";
    $("network-note").textContent =
      `${data.nodes.length} actors, ${data.edges.length} source\u2192target pairs; edge width = events, ` +
      `colour = mean Goldstein. Click an actor to filter by it.${more}`;
    const box = clear($("network"));
    if (state.charts.network) state.charts.network.finalize();
    state.charts.network = null;
    if (!data.edges.length) {
      box.append(el("p", "muted", "No events with both a source and a target match this filter."));
      return;
    }
    const result = await vegaEmbed(box, networkSpec(data, box.clientWidth), { ...EMBED, mode: "vega" });
    if (!current("network", mine)) {
      result.finalize();
      return;
    }
    result.view.addEventListener("click", (_, item) => {
      if (item && item.mark && item.mark.name === "nodes") {
        form().elements.namedItem("actor").value = item.datum.id;
        search();
      }
    });
    state.charts.network = result;
  }

  // --- article view with highlighted evidence -----------------------------------------------------

  function eventSpans(event) {
    const spans = [];
    const add = (kind, span) => {
      if (span && Number.isInteger(span.start) && Number.isInteger(span.end) && span.end > span.start) {
        spans.push({ kind, start: span.start, end: span.end });
      }
    };
    for (const actor of event.source) add("source", actor);
    for (const actor of event.target) add("target", actor);
    add("trigger", event.trigger);
    add("date", event.date_evidence);
    add("location", event.location);
    add("attribution", event.attribution);
    add("sentence", event.sentence);
    return spans;
  }

  // The text cut at every span boundary; each piece a Text node, wrapped in <mark> when evidence covers it.
  function highlightedText(text, spans) {
    const cuts = new Set([0, text.length]);
    for (const span of spans) {
      cuts.add(Math.min(span.start, text.length));
      cuts.add(Math.min(span.end, text.length));
    }
    const points = [...cuts].sort((a, b) => a - b);
    const fragment = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i += 1) {
      const [from, to] = [points[i], points[i + 1]];
      const piece = text.slice(from, to);
      const kinds = spans.filter((s) => s.start <= from && s.end >= to).map((s) => s.kind);
      const evidence = kinds.filter((k) => k !== "sentence");
      if (evidence.length) {
        const mark = el("mark", ["hl", ...evidence.map((k) => `hl-${k}`)].join(" "), piece);
        mark.dataset.kinds = evidence.join(" ");
        mark.title = evidence.join(", ");
        if (kinds.includes("sentence")) mark.classList.add("in-sentence");
        fragment.append(mark);
      } else if (kinds.includes("sentence")) {
        fragment.append(el("span", "in-sentence", piece));
      } else {
        fragment.append(piece);
      }
    }
    return fragment;
  }

  function actorLabel(actor) {
    const code = actor.code || [actor.country || actor.kb_id, actor.sector].filter(Boolean).join("");
    return code ? `${actor.text} (${code})` : actor.text;
  }

  function renderEventDetail(event) {
    const box = clear($("event-detail"));
    if (!event) return;
    const who = (actors) => (actors.length ? actors.map(actorLabel).join("; ") : "\u2014");
    const dateFrom = event.date_evidence
      ? `from \u201c${event.date_evidence.text}\u201d`
      : `from the ${event.date_from} date`;
    const flags = `${event.modality}${event.negated ? " \u00b7 negated" : ""}`;
    const rows = [
      ["Event", `${event.cameo} ${event.cameo_name}${event.plover ? ` \u00b7 PLOVER ${event.plover}` : ""}`],
      ["Source", who(event.source)],
      ["Target", who(event.target)],
      ["Date", event.date ? `${event.date} (${dateFrom})` : "unknown"],
      ["Goldstein", `${event.goldstein} \u00b7 QuadClass ${event.quad_class} \u00b7 ${flags}`],
    ];
    if (event.location) {
      rows.push(["Location", [event.location.name, event.location.country].filter(Boolean).join(", ")]);
    }
    if (event.reported_by.length) rows.push(["Reported by", who(event.reported_by)]);
    if (event.attribution) rows.push(["Attribution", `\u201c${event.attribution.text}\u201d`]);
    const dl = el("dl");
    for (const [term, value] of rows) dl.append(el("dt", null, term), el("dd", null, value));
    box.append(dl);
  }

  function showEvent(view, eventId) {
    const event = view.events.find((e) => e.event_id === eventId) || null;
    const textBox = clear($("article-text"));
    textBox.append(highlightedText(view.article.text, event ? eventSpans(event) : []));
    renderEventDetail(event);
    for (const item of $("article-events").querySelectorAll("button")) {
      item.classList.toggle("selected", item.dataset.eventId === eventId);
    }
    for (const row of document.querySelectorAll("#events tbody tr")) {
      row.classList.toggle("selected", row.dataset.eventId === eventId);
    }
    state.selected = { article: view.article.id, event: eventId };
    saveToAddress();
    const first = textBox.querySelector("mark.hl-trigger") || textBox.querySelector("mark");
    if (first) textBox.scrollTop = Math.max(0, first.offsetTop - textBox.clientHeight / 2);
  }

  function renderArticle(view, eventId) {
    $("article-hint").hidden = true;
    $("article").hidden = false;
    const { article } = view;
    $("article-title").textContent = article.title || article.id;
    const meta = clear($("article-meta"));
    meta.append([article.date, article.source, `id ${article.id}`].filter(Boolean).join(" \u00b7 "));
    const href = article.url ? safeHttpUrl(article.url) : null;
    if (href) {
      const link = el("a", null, "original");
      link.href = href;
      link.rel = "noopener noreferrer nofollow";
      link.target = "_blank";
      meta.append(" \u00b7 ", link);
    } else if (article.url) {
      meta.append(` \u00b7 ${article.url}`);
    }

    const list = clear($("article-events"));
    for (const event of view.events) {
      const sources = event.source.map((a) => a.code || a.text).join(";") || "\u2014";
      const targets = event.target.map((a) => a.code || a.text).join(";") || "\u2014";
      const label = `${sources} \u2192 ${event.cameo} ${event.cameo_name} \u2192 ${targets}`;
      const button = el("button", "article-event", label);
      button.type = "button";
      button.dataset.eventId = event.event_id;
      button.title = `trigger: ${event.trigger.text}`;
      if (event.negated) button.classList.add("negated");
      button.addEventListener("click", () => showEvent(view, event.event_id));
      list.append(el("li", null, button));
    }

    const quotes = clear($("article-quotes"));
    for (const quote of view.quotes) {
      const speaker = quote.speaker ? actorLabel(quote.speaker) : "unknown speaker";
      const method = quote.speaker_method ? ` (${quote.speaker_method})` : "";
      const said = el("span", "speaker", ` \u2014 ${speaker}${method}`);
      quotes.append(el("li", null, el("span", "quote-text", quote.text), said));
    }
    if (!view.quotes.length) quotes.append(el("li", "muted", "No quotes found."));

    const claims = clear($("article-claims"));
    for (const claim of view.claims) {
      const item = el("li", "claim", el("strong", null, claim.content ? claim.content.text : claim.trigger.text));
      const roles = el("dl", "claim-roles");
      for (const [key, label] of CLAIM_ROLES) {
        if (claim[key] && claim[key].length) {
          roles.append(el("dt", null, label), el("dd", null, claim[key].map(actorLabel).join("; ")));
        }
      }
      item.append(el("span", "muted", ` (\u201c${claim.trigger.text}\u201d)`), roles);
      claims.append(item);
    }
    if (!view.claims.length) claims.append(el("li", "muted", "No claims found."));

    showEvent(view, eventId);
  }

  async function selectEvent(articleId, eventId) {
    const mine = ticket("article");
    try {
      const view = await api(`/api/articles/${encodeURIComponent(articleId)}`);
      if (current("article", mine)) renderArticle(view, eventId);
    } catch (err) {
      setStatus(`Could not load the article: ${err.message}`, true);
    }
  }

  // --- views and wiring ---------------------------------------------------------------------------

  async function refreshView() {
    try {
      if (state.view === "timeline" && state.stale.timeline) {
        state.stale.timeline = false;
        await loadTimeline();
      } else if (state.view === "network" && state.stale.network) {
        state.stale.network = false;
        await loadNetwork();
      }
    } catch (err) {
      setStatus(`Could not draw the ${state.view}: ${err.message}`, true);
    }
  }

  function showView(view) {
    state.view = view;
    for (const tab of document.querySelectorAll("[role=tab]")) {
      tab.setAttribute("aria-selected", String(tab.dataset.view === view));
    }
    for (const name of ["events", "timeline", "network"]) $(`view-${name}`).hidden = name !== view;
    saveToAddress();
    refreshView();
  }

  function search() {
    state.page = 1;
    state.stale = { timeline: true, network: true };
    loadEvents();
    refreshView();
  }

  async function start() {
    loadFromAddress();
    form().addEventListener("submit", (e) => {
      e.preventDefault();
      search();
    });
    form().addEventListener("reset", () => setTimeout(search, 0));
    $("prev").addEventListener("click", () => {
      state.page = Math.max(1, state.page - 1);
      loadEvents();
    });
    $("next").addEventListener("click", () => {
      state.page += 1;
      loadEvents();
    });
    $("per-page").addEventListener("change", (e) => {
      state.perPage = Number(e.target.value);
      state.page = 1;
      loadEvents();
    });
    $("period").value = state.by;
    $("period").addEventListener("change", (e) => {
      state.by = e.target.value;
      state.stale.timeline = true;
      saveToAddress();
      refreshView();
    });
    for (const tab of document.querySelectorAll("[role=tab]")) {
      tab.addEventListener("click", () => showView(tab.dataset.view));
    }
    try {
      await loadMeta();
    } catch (err) {
      setStatus(`Could not read the store: ${err.message}`, true);
    }
    // selects get their options from /api/meta, so the address is read again for them
    const params = new URLSearchParams(location.search);
    for (const name of ["root", "plover"]) {
      if (params.has(name)) form().elements.namedItem(name).value = params.get(name);
    }
    showView(state.view);
    await loadEvents();
    if (state.selected) await selectEvent(state.selected.article, state.selected.event);
    document.body.dataset.ready = "true";
  }

  document.addEventListener("DOMContentLoaded", start);
})();
