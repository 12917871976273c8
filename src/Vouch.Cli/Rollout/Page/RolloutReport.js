// Draws the rollout report from the summary JSON in the script element with id "summary". Every string from the summary is
// attacker-chosen (HELO names, senders, reasons): it reaches the page only as textContent or a data attribute,
// never as markup. Each chart records what it drew on its container (data-state, data-drawn-series,
// data-drawn-points, data-drawn-total) and the body records data-rendered, data-errors, data-loads (resources
// fetched) and data-refused-loads (loads the content security policy stopped), for tests.
(() => {
  "use strict";

  const colors = { refuse: "#d55e00", defer: "#e69f00", accept: "#0072b2" };
  const main = document.getElementById("report");
  let errors = 0;

  // The page must work with no network: whatever it tries to load is refused by its content security policy,
  // and counted here so that a test sees the attempt.
  let refusedLoads = 0;
  document.body.dataset.refusedLoads = "0";
  document.addEventListener("securitypolicyviolation", () => {
    document.body.dataset.refusedLoads = String(++refusedLoads);
  });

  const isObject = v => v !== null && typeof v === "object" && !Array.isArray(v);
  const list = v => (Array.isArray(v) ? v : []);
  const objects = v => list(v).filter(isObject);
  const num = v => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const str = v => (typeof v === "string" ? v : v === null || v === undefined ? "" : String(v));
  const count = v => (num(v) === null ? "—" : Math.round(v).toLocaleString("en-US"));
  const share = v => (num(v) === null ? "—" : (v * 100).toFixed(1) + " %");

  // "2026-11-02T08:00:00Z" → "2026-11-02 08:00 UTC"; anything else is shown as it is.
  const when = v => {
    const text = str(v);
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
    if (!m) return text || "—";
    return m[1] + " " + m[2] + (m[3] === "Z" ? " UTC" : m[3] ? " " + m[3] : "");
  };

  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = str(text);
    return e;
  };
  const add = (parent, ...children) => {
    for (const child of children) {
      if (child !== null && child !== undefined) parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return parent;
  };

  const section = (id, title, build) => {
    const s = el("section");
    s.id = id;
    add(s, el("h2", null, title));
    main.appendChild(s);
    try {
      build(s);
    } catch (e) {
      errors++;
      add(s, el("p", "section-error", "This part could not be shown: " + str(e && e.message ? e.message : e)));
    }
    return s;
  };

  // A table from column titles and rows of cells; a cell is text, or [text, className].
  const table = (id, className, columns, rows) => {
    const t = el("table", className);
    if (id) t.id = id;
    const head = add(t, el("thead")).lastChild.appendChild(el("tr"));
    for (const c of columns) add(head, Array.isArray(c) ? el("th", c[1], c[0]) : el("th", null, c));
    const body = t.appendChild(el("tbody"));
    for (const cells of rows) {
      const tr = body.appendChild(el("tr"));
      for (const c of cells) add(tr, Array.isArray(c) ? el("td", c[1], c[0]) : el("td", null, c));
    }
    return t;
  };

  const empty = (parent, text) => add(parent, el("p", "empty", text));

  // A uPlot chart over categories (weeks or rules): x is the category's index, labelled on the axis.
  const chart = (box, labels, series, bars) => {
    const n = labels.length;
    const height = 300;
    const width = () => Math.max(320, Math.min(1136, box.clientWidth || 800));
    const barPaths = bars ? uPlot.paths.bars({ size: [0.6, 70] }) : null;
    const everyNth = () => Math.max(1, Math.ceil(n / Math.max(1, Math.floor(width() / (bars ? 110 : 80)))));
    const options = {
      width: width(),
      height,
      scales: {
        x: { time: false, range: () => [-0.5, n - 0.5] },
        y: { range: (u, min, max) => [0, uPlot.rangeNum(0, max > 0 ? max : 1, 0.1, true)[1]] },
      },
      axes: [
        {
          splits: () => labels.map((_, i) => i),
          values: (u, splits) => splits.map(i => (i % everyNth() === 0 ? labels[i] : "")),
          grid: { show: false },
          size: 40,
        },
        { label: "decisions", values: (u, splits) => splits.map(v => (Number.isInteger(v) ? count(v) : "")), size: 70 },
      ],
      series: [
        { label: bars ? "rule" : "week", value: (u, i) => (i === null || i === undefined ? "—" : str(labels[Math.round(i)])) },
        ...series.map(s => ({
          label: s.label,
          stroke: s.color,
          fill: bars ? s.color : undefined,
          width: bars ? 1 : 2,
          paths: barPaths || undefined,
          points: { show: !bars, size: 7, fill: s.color },
          value: (u, v) => (v === null || v === undefined ? "—" : count(v)),
        })),
      ],
      hooks: {
        draw: [
          u => {
            const drawn = u.data.slice(1).filter((values, i) => u.series[i + 1].show && values.some(v => v !== null));
            box.dataset.drawnSeries = String(drawn.length);
            box.dataset.drawnPoints = String(u.data[0].length);
            box.dataset.drawnTotal = String(drawn.flat().reduce((sum, v) => sum + (v === null ? 0 : v), 0));
            box.dataset.state = "drawn";
          },
        ],
      },
    };
    const data = [labels.map((_, i) => i), ...series.map(s => s.values)];
    const plot = new uPlot(options, data, box);
    window.addEventListener("resize", () => plot.setSize({ width: width(), height }));
  };

  const chartBox = (parent, id) => {
    const box = add(parent, el("div", "chart")).lastChild;
    box.id = id;
    return box;
  };

  let summary = {};
  try {
    summary = JSON.parse(document.getElementById("summary").textContent);
  } catch (e) {
    errors++;
    add(main, el("p", "section-error", "The summary in this page could not be read: " + str(e.message)));
  }
  if (!isObject(summary)) summary = {};
  if (summary.schema !== "vouch-rollout/1") {
    add(main, el("p", "note", "This page was made for summaries of schema vouch-rollout/1; this one says " + (str(summary.schema) || "none") + ". What it recognises is shown."));
  }
  const decisions = num(summary.decisions);
  const shareOf = (given, part) => (num(given) !== null ? given : num(part) !== null && decisions ? part / decisions : null);

  section("headline", "Under enforcement", s => {
    const refuse = shareOf(summary.would_refuse_share, summary.would_refuse);
    const defer = shareOf(summary.would_defer_share, summary.would_defer);
    if (decisions === 0) add(s, el("p", "headline", "The logs held no decision, so there is nothing enforcement would refuse."));
    else add(s, add(el("p", "headline"),
      "Enforcement would refuse ", el("span", "share refuse", share(refuse)),
      " of the decisions (" + count(summary.would_refuse) + " of " + count(decisions) + ") and defer ",
      el("span", "share defer", share(defer)), " (" + count(summary.would_defer) + ")."));
    const facts = add(s, el("dl", "facts")).lastChild;
    const fact = (name, value) => add(facts, el("dt", null, name), el("dd", null, value));
    fact("Period", summary.first || summary.last ? when(summary.first) + " – " + when(summary.last) : "—");
    fact("Decisions read", count(decisions) + " from " + count(summary.lines) + " lines" +
      (num(summary.unreadable_lines) ? " (" + count(summary.unreadable_lines) + " unreadable)" : ""));
    fact("Logs", list(summary.inputs).map(str).join(", ") || "—");
    fact("Configurations", list(summary.configs).map(str).join(", ") || "—");
    fact("Generated", when(summary.generated));
    if (isObject(summary.totals)) {
      add(s, el("h3", null, "What enforcement would answer"));
      const rows = ["accept", "tag", "defer", "reject"]
        .filter(a => num(summary.totals[a]) !== null)
        .map(a => [a, [count(summary.totals[a]), "num"], [decisions ? share(summary.totals[a] / decisions) : "—", "num"]]);
      add(s, table("totals", "narrow", ["action", ["decisions", "num"], ["share", "num"]], rows));
    }
  });

  section("weeks", "Week by week", s => {
    add(s, el("p", "note", "Decisions per ISO week, counted by what enforcement would answer (accepted includes tagged)."));
    const weeks = objects(summary.weeks);
    const box = chartBox(s, "weekly-chart");
    if (weeks.length === 0) {
      box.dataset.state = "empty";
      empty(box, "No week to show: the log held no decision.");
      return;
    }
    const v = (w, key) => num(w[key]);
    chart(box, weeks.map(w => str(w.week) || str(w.start)), [
      { label: "would refuse", color: colors.refuse, values: weeks.map(w => v(w, "reject")) },
      { label: "would defer", color: colors.defer, values: weeks.map(w => v(w, "defer")) },
      {
        label: "accepted (+tagged)", color: colors.accept,
        values: weeks.map(w => (v(w, "accept") === null && v(w, "tag") === null ? null : (v(w, "accept") || 0) + (v(w, "tag") || 0))),
      },
    ], false);
  });

  section("rules", "Refusals by rule", s => {
    const rows = objects(summary.by_rule);
    const refusing = rows
      .filter(r => r.enforced_action === "reject" || r.enforced_action === "defer")
      .sort((a, b) => (num(b.count) || 0) - (num(a.count) || 0));
    const box = chartBox(s, "rule-chart");
    if (refusing.length === 0) {
      box.dataset.state = "empty";
      empty(box, "No rule would refuse or defer anything.");
    } else {
      // One category per rule and action: each bar belongs to exactly one of the two series.
      chart(box, refusing.map(r => str(r.rule) || "(none)"), [
        { label: "would refuse", color: colors.refuse, values: refusing.map(r => (r.enforced_action === "reject" ? num(r.count) : null)) },
        { label: "would defer", color: colors.defer, values: refusing.map(r => (r.enforced_action === "defer" ? num(r.count) : null)) },
      ], true);
    }
    if (rows.length > 0) {
      add(s, el("h3", null, "Every rule that decided"));
      add(s, table("rule-table", null, ["rule", "verdict", "enforced action", ["decisions", "num"]],
        rows.map(r => [[str(r.rule), "mono"], str(r.verdict), str(r.enforced_action), [count(r.count), "num"]])));
    }
  });

  // A decision-log record as key/value rows; nested objects become dotted keys.
  const flatten = (value, prefix, out) => {
    if (isObject(value)) {
      const keys = Object.keys(value);
      if (keys.length === 0 && prefix) out.push([prefix, "{}"]);
      for (const k of keys) flatten(value[k], prefix ? prefix + "." + k : k, out);
    } else if (Array.isArray(value)) {
      if (value.every(v => !isObject(v) && !Array.isArray(v))) out.push([prefix, value.length ? value.map(str).join(", ") : "(none)"]);
      else value.forEach((v, i) => flatten(v, prefix + "[" + i + "]", out));
    } else {
      out.push([prefix, value === null ? "null" : str(value)]);
    }
    return out;
  };

  const evidence = sample => {
    const details = el("details", "evidence");
    add(details, el("summary", null, "Evidence: one decision from the log"));
    if (!isObject(sample)) {
      empty(details, "No sample was kept.");
      return details;
    }
    const kv = add(details, el("table", "kv")).lastChild.appendChild(el("tbody"));
    for (const [key, value] of flatten(sample, "", [])) {
      const tr = kv.appendChild(el("tr"));
      const td = el("td", null, value);
      td.dataset.key = key;
      add(tr, el("th", null, key), td);
    }
    return details;
  };

  const top = (id, title, keyTitle, rows) => section(id, title, s => {
    rows = objects(rows);
    if (rows.length === 0) {
      empty(s, "None.");
      return;
    }
    const t = add(s, el("table", "top")).lastChild;
    t.id = id + "-table";
    const columns = [keyTitle, ["decisions", "num"], "first seen", "last seen", "rules", "looks legitimate", "fix", "tell"];
    const head = add(t, el("thead")).lastChild.appendChild(el("tr"));
    for (const c of columns) add(head, Array.isArray(c) ? el("th", c[1], c[0]) : el("th", null, c));
    for (const r of rows) {
      const group = t.appendChild(el("tbody"));
      const tr = group.appendChild(el("tr", "row"));
      tr.dataset.key = str(r.key);
      const countCell = el("td", "num");
      if (r.approximate === true) {
        const mark = add(countCell, el("span", "approximate", "≈ ")).lastChild;
        mark.title = "approximate: counted in bounded memory, may be too high";
      }
      add(countCell, count(r.count));
      const rules = isObject(r.rules)
        ? Object.entries(r.rules).sort((a, b) => (num(b[1]) || 0) - (num(a[1]) || 0)).map(([rule, n]) => rule + " " + count(n)).join(", ")
        : "";
      const flags = el("td", "flags");
      for (const f of list(r.looks_legitimate)) add(flags, el("span", "flag", f));
      if (!flags.firstChild) flags.textContent = "—";
      add(tr, el("td", "key", str(r.key)), countCell, el("td", "when", when(r.first)), el("td", "when", when(r.last)),
        el("td", "mono", rules || "—"), flags, el("td", "fix", str(r.fix) || "—"), el("td", "tell", str(r.tell) || "—"));
      const cell = group.appendChild(el("tr", "evidence")).appendChild(el("td"));
      cell.colSpan = columns.length;
      cell.appendChild(evidence(r.sample));
    }
  });

  top("owners", "Top owners", "owner", summary.top_owners);
  top("domains", "Top domains", "domain", summary.top_domains);
  top("networks", "Top networks", "network", summary.top_networks);

  if (isObject(summary.what_if)) {
    const w = summary.what_if;
    section("what-if", "What if: another configuration", s => {
      add(s, el("p", null, "Under configuration " + (str(w.config) || "(unnamed)") + ", " + count(w.changed) + " of " +
        count(w.compared) + " decisions would change" + (num(w.compared) ? " (" + share((num(w.changed) || 0) / w.compared) + ")" : "") +
        (num(w.undecidable) ? "; " + count(w.undecidable) + " could not be decided again" : "") + "."));
      const changes = objects(w.changes);
      add(s, el("h3", null, "Changes"));
      if (changes.length === 0) empty(s, "No decision would change.");
      else add(s, table("what-if-changes", null, ["from", "to", "rule before", "rule after", ["decisions", "num"]],
        changes.map(c => [str(c.from), str(c.to), [str(c.rule_before), "mono"], [str(c.rule_after), "mono"], [count(c.count), "num"]])));
      const owners = objects(w.by_owner);
      if (owners.length > 0) {
        add(s, el("h3", null, "By owner"));
        add(s, table("what-if-owners", null, ["owner", ["decisions", "num"], "from", "to"],
          owners.map(o => [[str(o.key), "key"], [count(o.count), "num"], str(o.from), str(o.to)])));
      }
    });
  }

  const period = [when(summary.first), when(summary.last)].filter(t => t !== "—").join(" – ");
  if (period) document.title = "Vouch rollout report, " + period;
  document.body.dataset.loads = String(performance.getEntriesByType("resource").length);
  document.body.dataset.errors = String(errors);
  document.body.dataset.rendered = "true";
})();
