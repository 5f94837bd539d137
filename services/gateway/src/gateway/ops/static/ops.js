// The operations console.  The access token lives in this closure only (not in storage, not
// in URLs); every value from the API is written with textContent, never parsed as HTML.
"use strict";
(() => {
  let token = null;
  let timer = null;
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
    }
    return node;
  }

  function pillClass(status) {
    if (status === "ready" || status === "ok") return "ok";
    if (status === "degraded") return "degraded";
    return "bad";
  }

  function checkClass(value) {
    if (value === "ok") return "text-ok";
    return String(value).startsWith("degraded") ? "text-warn" : "text-bad";
  }

  async function call(method, path) {
    const reply = await fetch(path, { method, headers: { Authorization: `Bearer ${token}` } });
    if (reply.status === 401) { signOut("Your session expired; sign in again."); throw new Error("401"); }
    const body = await reply.json().catch(() => ({}));
    if (!reply.ok) throw new Error(body.detail || `${reply.status} ${reply.statusText}`);
    return body;
  }

  // Total lag, and only the partitions that are behind (a healthy consumer shows one line).
  function describeLag(lag) {
    const entries = Object.entries(lag);
    if (!entries.length) return "not connected";
    const behind = entries.filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    const total = behind.reduce((sum, [, n]) => sum + n, 0);
    const head = `${total} message${total === 1 ? "" : "s"} behind, ${entries.length} partitions`;
    if (!behind.length) return head;
    return `${head}: ` + behind.slice(0, 5).map(([p, n]) => `${p} ${n}`).join(", ");
  }

  // A long error reads as its start; the whole text is one click away (and stays open
  // across refreshes).
  const openErrors = new Set();
  function errorCell(key, text) {
    const short = text.length > 160 ? `${text.slice(0, 160)}…` : text;
    if (short === text) return el("td", { class: "error-text" }, text);
    const details = el("details", {}, el("summary", {}, short), text);
    details.open = openErrors.has(key);
    details.addEventListener("toggle", () => {
      if (details.open) openErrors.add(key); else openErrors.delete(key);
    });
    return el("td", { class: "error-text" }, details);
  }

  function renderService(name, report) {
    const health = report.health || {};
    const card = el("div", { class: "card service", "data-service": name },
      el("h3", {}, name.toUpperCase(), el("span", { class: `pill ${pillClass(health.status)}` },
        health.status || "unknown")));
    const dl = el("dl");
    for (const [check, value] of Object.entries(health.checks || {})) {
      dl.append(el("dt", {}, check), el("dd", { class: checkClass(value) }, value));
    }
    const status = report.status && report.status.data;
    if (status) {
      dl.append(el("dt", {}, "outbox backlog"), el("dd", {}, String(status.outbox.backlog)));
      dl.append(el("dt", {}, "oldest unpublished"),
        el("dd", {}, `${status.outbox.oldest_unpublished_age_seconds.toFixed(1)} s`));
      dl.append(el("dt", {}, "consumer lag"), el("dd", {}, describeLag(status.consumer_lag || {})));
      const c = status.consumer || {};
      dl.append(el("dt", {}, "events handled"),
        el("dd", {}, `${c.applied ?? 0} applied, ${c.duplicates ?? 0} duplicates, ` +
          `${c.handler_failures ?? 0} handler failures`));
      dl.append(el("dt", {}, "events published"), el("dd", {},
        `${status.relay.published}` + (status.relay.leader ? " (relay leader)" : " (relay on standby)")));
    } else if (report.status) {
      dl.append(el("dt", {}, "status"), el("dd", { class: "text-bad" }, report.status.error));
    }
    card.append(dl);
    return card;
  }

  function renderDeadLetters(services) {
    const rows = [];
    for (const [name, report] of Object.entries(services)) {
      const dl = report.dead_letters || {};
      if (dl.error) rows.push(el("tr", {}, el("td", {}, name), el("td", { colspan: "7", class: "error-text" }, dl.error)));
      for (const item of dl.data || []) {
        const button = el("button", { type: "button", "data-retry": `${name}/${item.id}` }, "Retry");
        button.addEventListener("click", () => retry(name, item.id, button));
        rows.push(el("tr", {},
          el("td", {}, name), el("td", {}, String(item.id)), el("td", {}, item.event_type || "?"),
          el("td", { class: "mono" }, `${item.topic}/${item.partition}@${item.offset}`),
          el("td", { class: "mono" }, item.correlation_id || ""),
          el("td", {}, new Date(item.failed_at).toLocaleString()),
          errorCell(`${name}/${item.id}`, item.error), el("td", {}, button)));
      }
    }
    if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: "8", class: "muted" }, "No dead letters.")));
    $("dead-letters").replaceChildren(...rows);
    const count = rows.filter((r) => r.querySelector("button")).length;
    $("dead-count").textContent = count ? String(count) : "";
  }

  function renderEvents(services) {
    const events = [];
    for (const [name, report] of Object.entries(services)) {
      for (const e of (report.events && report.events.data) || []) events.push({ ...e, service: name });
    }
    events.sort((a, b) => (a.at < b.at ? 1 : -1));
    const rows = events.slice(0, 60).map((e) => el("tr", {},
      el("td", {}, new Date(e.at).toLocaleTimeString()), el("td", {}, e.service),
      el("td", {}, e.direction === "published" ? "→" : "←"), el("td", {}, e.event_type),
      el("td", { class: "mono" }, e.topic), el("td", {}, e.outcome),
      el("td", { class: "mono" }, e.correlation_id || "")));
    if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: "7", class: "muted" }, "No events yet.")));
    $("events").replaceChildren(...rows);
  }

  async function refresh() {
    try {
      const data = await call("GET", "/ops/api/overview");
      $("services").replaceChildren(...Object.entries(data.services).map(([n, r]) => renderService(n, r)));
      renderDeadLetters(data.services);
      renderEvents(data.services);
      $("updated").textContent = `updated ${new Date(data.generated_at).toLocaleTimeString()}`;
      $("console-error").textContent = "";
      document.body.dataset.loaded = "true";
    } catch (err) {
      if (token) $("console-error").textContent = `Could not load: ${err.message}`;
    }
  }

  async function retry(service, id, button) {
    button.disabled = true;
    try {
      await call("POST", `/ops/api/${service}/dead-letters/${id}/retry`);
      await refresh();
    } catch (err) {
      $("console-error").textContent = `Retry of ${service} #${id} failed: ${err.message}`;
      button.disabled = false;
    }
  }

  function signOut(message) {
    token = null;
    clearInterval(timer);
    $("console").hidden = true;
    $("sign-out").hidden = true;
    $("login").hidden = false;
    $("login-error").textContent = message || "";
  }

  $("login").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new URLSearchParams({
      grant_type: "password", username: $("username").value, password: $("password").value,
    });
    const reply = await fetch("/auth/token", { method: "POST", body: form });
    const body = await reply.json().catch(() => ({}));
    if (!reply.ok) { $("login-error").textContent = body.detail || "Sign-in failed."; return; }
    token = body.access_token;
    $("password").value = "";
    $("login").hidden = true;
    $("console").hidden = false;
    $("sign-out").hidden = false;
    await refresh();
    timer = setInterval(refresh, 3000);
  });
  $("sign-out").addEventListener("click", () => signOut());
})();
