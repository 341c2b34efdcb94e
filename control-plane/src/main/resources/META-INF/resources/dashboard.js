'use strict';
// Polls the control-plane API every few seconds and renders the fleet, rollouts, builds, the latency chart and the
// devices' per-operator profiles.
const REFRESH_MS = 3000;
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4d7c0f', '#be185d'];
let chart;
let opsChart;
// per-operator profiles are fetched for at most this many builds with fleet telemetry (one request each)
const MAX_PROFILED_BUILDS = 8;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function row(cells) {
  const tr = document.createElement('tr');
  cells.forEach(c => tr.appendChild(c instanceof Node ? wrap(c) : el('td', c)));
  return tr;
}
function wrap(node) { const td = el('td'); td.appendChild(node); return td; }
function status(s) { return el('span', s || '—', 's-' + (s || 'none')); }
function short(key) { return key ? key.substring(0, 10) : '—'; }
function fmt(v, digits = 0) { return v === null || v === undefined ? '—' : Number(v).toFixed(digits); }
function pct(v) { return v === null || v === undefined ? '—' : (100 * v).toFixed(1) + '%'; }
function kb(v) { return v === null || v === undefined ? '—' : (v / 1024).toFixed(1) + ' KiB'; }
function bytes(v) {
  if (v === null || v === undefined) return '—';
  if (v < 1024 * 1024) return kb(v);
  return v < 1024 * 1024 * 1024 ? (v / 1024 / 1024).toFixed(1) + ' MiB' : (v / 1024 / 1024 / 1024).toFixed(1) + ' GiB';
}
function ago(iso) {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 120 ? s + ' s ago' : Math.round(s / 60) + ' min ago';
}
// Operator bearer token (viewer role is enough): opened as /#token=<jwt>, kept in sessionStorage for this tab only,
// and removed from the address bar so it does not end up in history or screenshots.
const TOKEN_KEY = 'edgefleet.token';
(function takeTokenFromFragment() {
  const m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
})();
async function get(path) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) throw new Error('no access token: open the dashboard as /#token=<operator JWT>');
  const r = await fetch(path, { headers: { Accept: 'application/json', Authorization: 'Bearer ' + token } });
  if (r.status === 401) throw new Error('the access token is missing, invalid or expired (HTTP 401)');
  if (r.status === 403) throw new Error('the access token lacks the viewer role (HTTP 403)');
  if (!r.ok) throw new Error(path + ' → HTTP ' + r.status);
  return r.json();
}
function fill(id, rows) {
  const body = document.querySelector('#' + id + ' tbody');
  body.replaceChildren(...rows);
}

function renderDevices(page) {
  document.getElementById('fleet-count').textContent = page.total + ' devices';
  const byClass = {};
  page.items.forEach(d => { byClass[d.hardwareClass] = (byClass[d.hardwareClass] || 0) + 1; });
  document.getElementById('classes').replaceChildren(
    ...Object.entries(byClass).map(([hc, n]) => el('span', hc + ' × ' + n, 'chip')));
  fill('devices', page.items.map(d => row([
    d.name || d.id, el('code', d.hardwareClass),
    d.hardware.accelerator.type + (d.hardware.accelerator.precisions.length ? ' (' + d.hardware.accelerator.precisions.join(',') + ')' : ''),
    status(d.rolloutStatus), el('code', short(d.currentBuildKey)), ago(d.lastSeenAt)])));
}

function renderRollouts(list) {
  fill('rollouts', list.map(r => row([
    r.name, reasoned(status(r.status), r.statusReason), r.total, r.succeeded, r.failed,
    (r.groups || []).map(g => g.name + ' ' + g.succeeded + '/' + g.total + ' ' + g.status
      + (g.gates || []).filter(x => x.verdict !== 'PASS').map(x => ' [' + x.gate + ' ' + x.verdict + ']').join(''))
      .join(' → '),
    r.classes.map(c => c.mode + '×' + c.devices).join(', '), new Date(r.createdAt).toLocaleString()])));
}

function reasoned(node, reason) {
  if (reason) node.title = reason;
  return node;
}

function renderBuilds(summary) {
  fill('builds', summary.map(b => row([
    b.modelName || short(b.modelId), b.mode || '—', status(b.status),
    kb(b.floatSizeBytes) + ' → ' + kb(b.quantizedSizeBytes),
    pct(b.floatTop1) + ' / ' + pct(b.quantizedTop1),
    pct(b.fleet.top1Accuracy), pct(b.fleet.agreementWithFloat),
    fmt(b.fleet.p50Micros) + ' / ' + fmt(b.fleet.p95Micros) + ' / ' + fmt(b.fleet.p99Micros),
    b.fleet.devices, b.fleet.inferences])));
}

function renderChart(summary) {
  const withData = summary.filter(b => b.fleet.windows.length > 0);
  const minutes = [...new Set(withData.flatMap(b => b.fleet.windows.map(w => w.minute)))].sort();
  const labels = minutes.map(m => new Date(m).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  const datasets = [];
  withData.forEach((b, i) => {
    const color = COLORS[i % COLORS.length];
    const byMinute = Object.fromEntries(b.fleet.windows.map(w => [w.minute, w]));
    const name = (b.modelName || short(b.modelId)) + ' ' + (b.mode || short(b.buildKey));
    [['p50', 'p50Micros', []], ['p95', 'p95Micros', [6, 3]], ['p99', 'p99Micros', [2, 2]]].forEach(([p, field, dash]) => {
      datasets.push({ label: name + ' ' + p, borderColor: color, backgroundColor: color, borderDash: dash,
        spanGaps: true, tension: 0.2, data: minutes.map(m => byMinute[m] ? byMinute[m][field] : null) });
    });
  });
  if (!chart) {
    chart = new Chart(document.getElementById('latency'), {
      type: 'line', data: { labels, datasets },
      options: { animation: false, maintainAspectRatio: false,
        scales: { y: { title: { display: true, text: 'latency (µs)' }, beginAtZero: true },
                  x: { title: { display: true, text: 'minute' } } } }
    });
  } else {
    chart.data.labels = labels;
    chart.data.datasets = datasets;
    chart.update();
  }
}

// Per build and hardware class: the devices' per-operator profile, as a table of the slowest operators and a stacked
// bar of the profiled time per inference split by operator type (float vs quantized builds side by side).
async function renderOps(summary) {
  const candidates = summary.filter(b => b.fleet.devices > 0).slice(0, MAX_PROFILED_BUILDS);
  const views = await Promise.all(candidates.map(b =>
    get('/api/telemetry/builds/' + encodeURIComponent(b.buildKey) + '/ops').then(v => ({ b, v }))));
  const rows = [];
  const bars = [];
  views.forEach(({ b, v }) => v.classes.forEach(c => {
    const name = (b.modelName || short(b.modelId)) + ' ' + (b.mode || short(b.buildKey));
    const slowest = [...c.ops].sort((x, y) => y.medianMicros - x.medianMicros).slice(0, 4)
      .map(o => o.op + ' #' + o.opIndex + ' ' + pct(o.share)).join(', ');
    rows.push(row([name, el('code', c.hardwareClass), c.devices, fmt(c.totalMedianMicros, 1), slowest,
      ago(c.lastProfiledAt)]));
    const byType = {};
    c.ops.forEach(o => { byType[o.op] = (byType[o.op] || 0) + o.medianMicros; });
    bars.push({ label: name + ' · ' + short(c.hardwareClass), byType });
  }));
  fill('ops', rows);
  const types = [...new Set(bars.flatMap(x => Object.keys(x.byType)))].sort();
  const datasets = types.map((t, i) => ({ label: t, backgroundColor: COLORS[i % COLORS.length],
    data: bars.map(x => x.byType[t] || 0) }));
  const labels = bars.map(x => x.label);
  if (!opsChart) {
    opsChart = new Chart(document.getElementById('ops-chart'), {
      type: 'bar', data: { labels, datasets },
      options: { animation: false, maintainAspectRatio: false, indexAxis: 'y',
        scales: { x: { stacked: true, title: { display: true, text: 'profiled time per inference (µs)' } },
                  y: { stacked: true } } }
    });
  } else {
    opsChart.data.labels = labels;
    opsChart.data.datasets = datasets;
    opsChart.update();
  }
}

// Model detail: for the newest model, the planner's Pareto frontier (predicted loss vs model size) per hardware class,
// with the plan its latest rollout chose for each class. A frontier depends only on the model's analysis and the
// class's hardware, so each one is fetched once (the sweep runs the planner several times on the server).
const paretoCache = new Map();
let paretoChart;

async function pareto(modelId, hardwareClass) {
  const key = modelId + '|' + hardwareClass;
  if (!paretoCache.has(key)) {
    paretoCache.set(key, await get('/api/models/' + encodeURIComponent(modelId) + '/pareto?hardwareClass='
      + encodeURIComponent(hardwareClass) + '&axis=size'));
  }
  return paretoCache.get(key);
}

function newest(list) {
  return [...list].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}

function precisionCounts(counts) {
  return counts ? Object.entries(counts).map(([p, n]) => p + '×' + n).join(', ') : '—';
}

async function renderModelDetail(devices, rollouts) {
  const models = await get('/api/models');
  const note = document.getElementById('model-note');
  const model = models.length ? newest(models) : null;
  const rollout = model ? newest(rollouts.filter(r => r.modelId === model.id)) : undefined;
  const plans = rollout ? rollout.classes : [];
  document.getElementById('model-name').textContent = model
    ? model.name + ' v' + model.version + ' · ' + kb(model.sizeBytes) + ' float · '
      + (rollout ? 'plans of rollout ' + rollout.name : 'no rollout yet')
    : '';
  fill('plans', plans.map(c => {
    const x = c.explanation;
    const p = x ? x.predicted : null;
    return row([el('code', c.hardwareClass), c.devices, c.mode, el('code', short(c.planHash)),
      p ? kb(p.sizeBytes) : '—', p ? (100 * p.predictedLoss).toFixed(2) + '%' : '—',
      p ? reasoned(el('span', fmt(p.latencyMicros)), p.latencyHost) : '—',
      x ? precisionCounts(x.precisionCounts) : '—', x ? x.solverStatus : '—']);
  }));
  const datasets = [];
  const problems = [];
  if (!model) {
    note.textContent = 'no model uploaded yet';
  } else if (model.analysisStatus !== 'READY') {
    note.textContent = 'analysis ' + model.analysisStatus + ': the Pareto frontier appears once a worker has measured the model';
  } else {
    const classes = plans.length ? plans.map(c => c.hardwareClass) : [...new Set(devices.items.map(d => d.hardwareClass))];
    const frontiers = await Promise.all(classes.map(hc => pareto(model.id, hc).then(
      view => ({ hc, view }), e => ({ hc, error: e.message }))));
    frontiers.forEach(({ hc, view, error }, i) => {
      if (error) {
        problems.push(short(hc) + ': ' + error);
        return;
      }
      const color = COLORS[i % COLORS.length];
      datasets.push({ label: short(hc) + ' frontier (budget ' + bytes(view.maxModelBytes) + ')', showLine: true,
        borderColor: color, backgroundColor: color, tension: 0,
        pointBackgroundColor: view.points.map(p => p.withinDeviceBudget ? color : '#ffffff'),
        data: view.points.map(p => ({ x: p.sizeBytes / 1024, y: p.predictedLoss })) });
      const chosen = plans.find(c => c.hardwareClass === hc);
      if (chosen && chosen.explanation) {
        const p = chosen.explanation.predicted;
        datasets.push({ label: short(hc) + ' chosen: ' + chosen.mode, showLine: false, borderColor: color,
          backgroundColor: color, pointStyle: 'rectRot', pointRadius: 9, pointHoverRadius: 11,
          data: [{ x: p.sizeBytes / 1024, y: p.predictedLoss }] });
      }
    });
    note.textContent = problems.length ? 'frontier unavailable for ' + problems.join('; ')
      : 'Predicted loss (Σ per layer of 1 − agreement with float) against model size for every non-dominated plan'
        + ' of the planner; filled points fit the class\'s size budget; diamonds are the plans the rollout chose.';
  }
  if (!paretoChart) {
    paretoChart = new Chart(document.getElementById('pareto-chart'), {
      type: 'scatter', data: { datasets },
      options: { animation: false, maintainAspectRatio: false,
        scales: { x: { title: { display: true, text: 'model size (KiB)' } },
                  y: { title: { display: true, text: 'predicted loss' }, beginAtZero: true } } }
    });
  } else {
    paretoChart.data.datasets = datasets;
    paretoChart.update();
  }
}

async function refresh() {
  try {
    const [devices, rollouts, summary] = await Promise.all([
      get('/api/devices?size=500'), get('/api/rollouts'), get('/api/telemetry/summary')]);
    renderDevices(devices);
    renderRollouts(rollouts);
    renderBuilds(summary);
    renderChart(summary);
    await renderOps(summary);
    await renderModelDetail(devices, rollouts);
    document.getElementById('status').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById('status').textContent = 'refresh failed: ' + e.message;
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}
refresh();
