/* carebot analytics dashboard: plain DOM + uPlot, no framework. */
(() => {
  'use strict';
  const form = document.getElementById('filters');
  const charts = {};
  const pct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);
  const secs = (ms) => (ms === null || ms === undefined ? '–' : `${Math.round(ms / 1000)} s`);
  const num = (v, d = 2) => (v === null || v === undefined ? '–' : Number(v).toFixed(d));
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };

  function query() {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) params.set(k, String(v));
    return params.toString();
  }

  async function get(path) {
    const res = await fetch(`${path}?${query()}`, { credentials: 'same-origin' });
    if (res.status === 401) { location.reload(); throw new Error('signed out'); }
    return res.json();
  }

  function fillSelect(name, values) {
    const select = form.elements[name];
    const current = select.value;
    const known = new Set([...select.options].map((o) => o.value));
    for (const v of values) if (!known.has(v)) select.add(new Option(v, v));
    select.value = current;
  }

  function kpis(m) {
    const box = document.getElementById('kpis');
    box.replaceChildren();
    const items = [
      ['Conversations', m.summary.conversations], ['Containment', pct(m.summary.containmentRate)], ['Handoff rate', pct(m.summary.handoffRate)],
      ['Fallback rate', pct(m.summary.fallbackRate)], ['CSAT', `${num(m.summary.csatAverage)} (${m.summary.csatResponses})`],
      ['Wait avg / p90', `${secs(m.waitMs.avg)} / ${secs(m.waitMs.p90)}`], ['Handle avg / p90', `${secs(m.handleMs.avg)} / ${secs(m.handleMs.p90)}`],
      ['Abandoned handoffs', m.abandonedHandoffs],
      ['Callbacks open / claimed / done', `${m.callbacks.open} / ${m.callbacks.claimed} / ${m.callbacks.done}`],
    ];
    for (const [label, value] of items) { const k = el('div', undefined, 'kpi'); k.append(el('span', label), el('b', String(value))); box.append(k); }
  }

  function chart(id, series, data) {
    const target = document.getElementById(id);
    if (charts[id]) charts[id].destroy();
    const width = Math.max(300, target.clientWidth || 480);
    charts[id] = new uPlot({ width, height: 220, series: [{}, ...series], axes: [{}, {}], scales: { x: { time: true } } }, data, target);
  }

  function table(id, rows) {
    const body = document.querySelector(`#${id} tbody`);
    body.replaceChildren(...rows.map((cells) => { const tr = el('tr'); for (const c of cells) tr.append(c instanceof Node ? c : el('td', String(c))); return tr; }));
  }

  async function refresh() {
    const [m, t] = await Promise.all([get('/api/admin/analytics/metrics'), get('/api/admin/analytics/topics')]);
    fillSelect('channel', m.dimensions.channels); fillSelect('locale', m.dimensions.locales); fillSelect('pack', m.dimensions.packs);
    document.getElementById('csv').href = `/api/admin/analytics/learning.csv?${query()}`;
    kpis(m);
    const xs = m.byDay.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
    const rate = (v) => (v === null ? null : v * 100);
    chart('chart-volume', [{ label: 'conversations', stroke: '#2f6fde', width: 2 }, { label: 'handed off', stroke: '#d9822b', width: 2 }], [xs, m.byDay.map((d) => d.conversations), m.byDay.map((d) => d.handedOff)]);
    chart('chart-rates', [{ label: 'containment %', stroke: '#2e9d5b', width: 2 }, { label: 'handoff %', stroke: '#d9822b', width: 2 }, { label: 'fallback %', stroke: '#b3261e', width: 2 }],
      [xs, m.byDay.map((d) => rate(d.containmentRate)), m.byDay.map((d) => rate(d.handoffRate)), m.byDay.map((d) => rate(d.fallbackRate))]);
    chart('chart-csat', [{ label: 'CSAT', stroke: '#7b4bd6', width: 2, spanGaps: true }], [xs, m.byDay.map((d) => d.csatAverage)]);
    table('topics', t.topics.map((topic) => [topic.label, topic.size, el('td', topic.trend, topic.trend), num(topic.csatAverage), Object.entries(topic.languages).map(([k, v]) => `${k} ${v}`).join(', '), topic.examples.map((e) => e.text).join(' | ')]));
    table('intents', m.topIntents.map((i) => [i.intent, i.turns]));
    table('reasons', Object.entries(m.handoffReasons).map(([k, v]) => [k, v]));
    document.body.dataset.loaded = 'true';
  }

  async function refreshQueue() {
    const q = await get('/api/admin/analytics/queue');
    table('queue', q.available ? q.queues.map((s) => [s.skill, s.language, s.waiting, secs(s.oldestWaitMs)]) : [['handoff is off', '', '', '']]);
    document.getElementById('store').textContent = `Store: ${q.store.backend}, ${q.store.storeUp ? 'up' : 'DOWN'}; buffered ${q.store.buffered}, written ${q.store.written}, lost ${q.store.dropped}`;
  }

  form.addEventListener('change', () => void refresh());
  void refresh();
  void refreshQueue();
  setInterval(() => void refreshQueue(), 5000);
})();
