"use strict";
// The tonggeo web page: live figure preview, job submission, progress over server-sent events, the proof
// with each step linked to the figure, downloads and past jobs.  Plain browser JavaScript, no build.

const $ = (id) => document.getElementById(id);
const FINAL = new Set(["proved", "unproved", "holds_generically", "timeout", "error", "cancelled"]);
let token = localStorage.getItem("tonggeo-token") || "";
let current = null;       // id of the job shown
let source = null;        // its EventSource
let previewTimer = null;
let objectUrls = [];

function headers(extra) {
  const h = Object.assign({}, extra || {});
  if (token) h["Authorization"] = "Bearer " + token;
  return h;
}

async function api(method, path, body) {
  const init = { method, headers: headers(body ? { "Content-Type": "application/json" } : {}) };
  if (body) init.body = JSON.stringify(body);
  const response = await fetch(path, init);
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (response.status === 401) { $("token-box").hidden = false; }
  if (!response.ok) {
    const detail = typeof data === "object" && data ? formatDetail(data.detail) : String(data);
    const error = new Error((data && data.error ? data.error + ": " : "") + detail);
    error.status = response.status;
    throw error;
  }
  return data;
}

function formatDetail(detail) {
  if (Array.isArray(detail)) return detail.map((d) => (d.loc || []).join(".") + ": " + d.msg).join("\n");
  return detail == null ? "" : String(detail);
}

function withToken(path) {
  return token ? path + (path.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token) : path;
}

// ---- figure and highlighting ------------------------------------------------------------------------
function showFigure(svg) {
  $("figure").innerHTML = svg;
  objectUrls.forEach((u) => URL.revokeObjectURL(u));
  objectUrls = [];
  const link = $("download-figure");
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  objectUrls.push(url);
  link.href = url;
  link.hidden = false;
}

function figurePoints() {
  return new Set([...document.querySelectorAll("#figure .point")].map((g) => g.dataset.point));
}

function highlight(points) {
  const chosen = new Set(points);
  document.querySelectorAll("#figure .hl").forEach((el) => el.classList.remove("hl"));
  if (!chosen.size) return;
  document.querySelectorAll("#figure .point").forEach((g) => {
    if (chosen.has(g.dataset.point)) g.classList.add("hl");
  });
  const count = (el) => (el.dataset.points || "").split(" ").filter((p) => chosen.has(p)).length;
  document.querySelectorAll("#figure line.line").forEach((el) => { if (count(el) >= 2) el.classList.add("hl"); });
  document.querySelectorAll("#figure circle.circle").forEach((el) => {
    const n = count(el);
    if (n >= 3 || (chosen.has(el.dataset.center) && n >= 2)) el.classList.add("hl");
  });
}

// ---- live preview -----------------------------------------------------------------------------------
async function updatePreview() {
  const text = $("problem").value;
  if (!text.trim()) { $("parse-status").textContent = ""; return; }
  try {
    const parsed = await api("POST", "/v1/figure", { problem: text, seed: Number($("seed").value) || 0 });
    $("parse-status").className = "muted";
    $("parse-status").textContent = `parsed ${parsed.name}: ${parsed.points.length} points, ` +
      `${parsed.clauses} clauses; goal ${parsed.goals.join("; ")}`;
    if (!current) showFigure(parsed.svg);
  } catch (err) {
    $("parse-status").className = "error";
    $("parse-status").textContent = err.message;
  }
}

function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(updatePreview, 350);
}

// ---- jobs -------------------------------------------------------------------------------------------
function showJob(job) {
  const status = $("job-status");
  status.textContent = job.status;
  status.className = "status " + job.status;
  status.dataset.job = job.id;
  const p = job.progress || {};
  const best = p.best_value == null ? "–" : Number(p.best_value).toFixed(3);
  $("progress").textContent = `${job.kind} ${job.id.slice(0, 8)} · ${p.phase || job.status} · ` +
    `nodes ${p.nodes || 0} · rounds ${p.rounds || 0} · best value ${best} · ${Number(p.elapsed || 0).toFixed(1)} s` +
    (job.attempts > 1 ? ` · attempt ${job.attempts}` : "");
  $("cancel").disabled = FINAL.has(job.status);
  const result = job.result || {};
  $("message").textContent = result.message ? `${result.verdict || ""} ${result.message}`.trim() +
    (result.policy_backend ? `\npolicy: ${result.policy} (${result.policy_backend})` : "") : "";
  if (FINAL.has(job.status)) showResult(job);
}

async function showResult(job) {
  const result = job.result || {};
  const list = $("proof");
  list.innerHTML = "";
  if (job.kind === "propose" && result.problems_text) {
    const li = document.createElement("li");
    li.textContent = result.problems_text;
    list.appendChild(li);
  }
  if (result.figure_url) {
    try {
      const response = await fetch(result.figure_url, { headers: headers() });
      if (response.ok) showFigure(await response.text());
    } catch (err) { /* the proof is still shown */ }
  }
  const known = figurePoints();
  const steps = (result.proof && result.proof.steps) || [];
  for (const step of steps) {
    const li = document.createElement("li");
    li.value = step.n;
    const points = step.fact.split(/\s+/).slice(1).filter((w) => known.has(w));
    li.dataset.points = points.join(" ");
    const from = step.premises || (step.terms || []).map((t) => t[0]);
    const by = step.by === "given" ? `given (${step.construction || ""})` :
      (step.by === "rule" ? `rule ${step.rule}` : step.by) + (from.length ? ` from (${from.join("), (")})` : "");
    li.innerHTML = `<span class="fact"></span> <span class="by"></span>`;
    li.querySelector(".fact").textContent = step.fact;
    li.querySelector(".by").textContent = by;
    li.addEventListener("mouseenter", () => { li.classList.add("active"); highlight(points); });
    li.addEventListener("mouseleave", () => { li.classList.remove("active"); highlight([]); });
    list.appendChild(li);
  }
  for (const [id, text, type] of [["download-proof", result.proof_text, "text/plain"],
    ["download-proof-json", result.proof ? JSON.stringify(result.proof, null, 1) : null, "application/json"]]) {
    const link = $(id);
    if (text) {
      const url = URL.createObjectURL(new Blob([text], { type }));
      objectUrls.push(url);
      link.href = url;
      link.hidden = false;
    } else { link.hidden = true; }
  }
  loadJobs();
}

function follow(id) {
  if (source) source.close();
  current = id;
  source = new EventSource(withToken(`/v1/jobs/${id}/events`));
  const handle = (event) => { const job = JSON.parse(event.data); if (job.id === current) showJob(job); };
  source.addEventListener("progress", handle);
  source.addEventListener("done", (event) => { handle(event); source.close(); source = null; });
  source.onerror = () => {  // the server restarted or the stream broke: poll instead
    if (source) source.close();
    source = null;
    setTimeout(() => poll(id), 1000);
  };
}

async function poll(id) {
  if (id !== current) return;
  try {
    const job = await api("GET", `/v1/jobs/${id}`);
    showJob(job);
    if (!FINAL.has(job.status)) follow(id);
  } catch (err) { setTimeout(() => poll(id), 2000); }
}

async function submit() {
  const body = { problem: $("problem").value, timeout: Number($("timeout").value) || 30,
    seed: Number($("seed").value) || 0 };
  if ($("policy").value) body.policy = $("policy").value;
  $("proof").innerHTML = "";
  $("message").textContent = "";
  try {
    const accepted = await api("POST", "/v1/solve", body);
    showJob({ id: accepted.id, kind: "solve", status: accepted.status, progress: {}, result: null, attempts: 0 });
    follow(accepted.id);
    loadJobs();
  } catch (err) {
    $("job-status").textContent = "";
    $("message").className = "error";
    $("message").textContent = err.message;
  }
}

async function cancel() {
  if (!current) return;
  try { showJob(await api("DELETE", `/v1/jobs/${current}`)); } catch (err) { $("message").textContent = err.message; }
}

async function loadJobs() {
  try {
    const page = await api("GET", "/v1/jobs?limit=20");
    const body = $("jobs");
    body.innerHTML = "";
    for (const job of page.jobs) {
      const tr = document.createElement("tr");
      tr.className = "job";
      tr.dataset.job = job.id;
      const name = job.kind === "solve" ? (job.name || job.id.slice(0, 8)) : "propose";
      for (const text of [name, job.status, new Date(job.created * 1000).toLocaleString()]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.appendChild(td);
      }
      tr.addEventListener("click", () => open(job.id));
      body.appendChild(tr);
    }
  } catch (err) { /* shown by the next action */ }
}

async function open(id) {
  const job = await api("GET", `/v1/jobs/${id}`);
  current = id;
  if (job.problem) $("problem").value = job.problem;
  showJob(job);
  if (!FINAL.has(job.status)) follow(id);
}

async function loadReference() {
  const ref = await api("GET", "/v1/dsl");
  $("syntax").textContent = ref.syntax;
  for (const example of ref.examples) {
    const option = document.createElement("option");
    option.value = example.text;
    option.textContent = example.name;
    $("examples").appendChild(option);
  }
  const fill = (filter) => {
    $("constructions").innerHTML = "";
    for (const c of ref.constructions) {
      if (filter && !c.name.includes(filter)) continue;
      const li = document.createElement("li");
      li.textContent = c.signature + (c.states.length ? "  — " + c.states.join(", ") : "");
      $("constructions").appendChild(li);
    }
  };
  fill("");
  $("ref-filter").addEventListener("input", (e) => fill(e.target.value.trim()));
  for (const g of ref.goals) {
    const li = document.createElement("li");
    li.textContent = `${g.name} — ${g.description}`;
    $("goals").appendChild(li);
  }
}

async function health() {
  try {
    const h = await api("GET", "/healthz");
    $("health").textContent = `policy: ${h.policy_backend} · ${h.workers} worker(s)`;
  } catch (err) { $("health").textContent = "server unreachable"; }
}

$("token").value = token;
$("token").addEventListener("change", (e) => {
  token = e.target.value.trim();
  localStorage.setItem("tonggeo-token", token);
  loadReference(); loadJobs();
});
$("problem").addEventListener("input", () => { current = null; schedulePreview(); });
$("seed").addEventListener("change", schedulePreview);
$("examples").addEventListener("change", (e) => {
  if (!e.target.value) return;
  $("problem").value = e.target.value;
  current = null;
  updatePreview();
});
$("solve").addEventListener("click", submit);
$("cancel").addEventListener("click", cancel);
$("refresh").addEventListener("click", loadJobs);
health();
loadReference().catch(() => {});
loadJobs();
