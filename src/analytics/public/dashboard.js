/* carebot analytics dashboard: plain DOM + uPlot, no framework; texts from the page translations. */
(() => {
  'use strict';
  const i18n = window.carebotI18n;
  const t = (key, vars) => i18n.t(key, vars);
  const form = document.getElementById('filters');
  const charts = {};
  let last = null;
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
      ['conversations', m.summary.conversations], ['containment', pct(m.summary.containmentRate)], ['handoffRate', pct(m.summary.handoffRate)],
      ['fallbackRate', pct(m.summary.fallbackRate)], ['csat', `${num(m.summary.csatAverage)} (${m.summary.csatResponses})`],
      ['wait', `${secs(m.waitMs.avg)} / ${secs(m.waitMs.p90)}`], ['handle', `${secs(m.handleMs.avg)} / ${secs(m.handleMs.p90)}`],
      ['abandoned', m.abandonedHandoffs],
      ['callbacks', `${m.callbacks.open} / ${m.callbacks.claimed} / ${m.callbacks.done}`],
    ];
    for (const [key, value] of items) { const k = el('div', undefined, 'kpi'); k.append(el('span', t(`dashboard.kpis.${key}`)), el('b', String(value))); box.append(k); }
  }

  function chart(id, series, data, options = {}) {
    const target = document.getElementById(id);
    if (charts[id]) charts[id].destroy();
    const width = Math.max(300, target.clientWidth || 480);
    charts[id] = new uPlot({ width, height: 220, series: [{}, ...series], axes: options.axes || [{}, {}], scales: options.scales || { x: { time: true } } }, data, target);
  }

  /** Agents on the x axis (by index), one bar series or point series per measure. */
  function categoryChart(id, names, series, data, y) {
    const bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 48] }) : undefined;
    chart(id, series.map((s) => ({ ...s, ...(s.points ? {} : { paths: bars, fill: s.stroke }) })), [names.map((_, i) => i), ...data], {
      scales: { x: { time: false, range: [-0.5, Math.max(0.5, names.length - 0.5)] }, y },
      axes: [{ values: (_u, ticks) => ticks.map((v) => (Number.isInteger(v) && names[v] !== undefined ? names[v] : '')), splits: () => names.map((_, i) => i) }, {}],
    });
  }

  function table(id, rows) {
    const body = document.querySelector(`#${id} tbody`);
    body.replaceChildren(...rows.map((cells) => { const tr = el('tr'); for (const c of cells) tr.append(c instanceof Node ? c : el('td', String(c))); return tr; }));
  }

  function workRows(list) {
    if (!list.length) return [[t('dashboard.agents.none'), '', '', '', '', '']];
    return list.map((r) => [r.id, r.handled, secs(r.handleMsAvg), secs(r.waitMsAvg), r.csatAverage === null ? '–' : `${num(r.csatAverage)} (${r.csatResponses})`, r.transfers]);
  }

  function render() {
    if (!last) return;
    const { m, topics, agents } = last;
    kpis(m);
    const xs = m.byDay.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
    const rate = (v) => (v === null ? null : v * 100);
    chart('chart-volume', [{ label: t('dashboard.charts.conversations'), stroke: '#2f6fde', width: 2 }, { label: t('dashboard.charts.handedOff'), stroke: '#b35c00', width: 2 }], [xs, m.byDay.map((d) => d.conversations), m.byDay.map((d) => d.handedOff)]);
    chart('chart-rates', [{ label: t('dashboard.charts.containment'), stroke: '#1f7a45', width: 2 }, { label: t('dashboard.charts.handoff'), stroke: '#b35c00', width: 2 }, { label: t('dashboard.charts.fallback'), stroke: '#b3261e', width: 2 }],
      [xs, m.byDay.map((d) => rate(d.containmentRate)), m.byDay.map((d) => rate(d.handoffRate)), m.byDay.map((d) => rate(d.fallbackRate))]);
    chart('chart-csat', [{ label: t('dashboard.charts.csatSeries'), stroke: '#7b4bd6', width: 2, spanGaps: true }], [xs, m.byDay.map((d) => d.csatAverage)], { scales: { x: { time: true }, y: { range: [1, 5] } } });
    const names = agents.agents.map((a) => a.id);
    categoryChart('chart-agents', names, [{ label: t('dashboard.charts.handled'), stroke: '#2f6fde' }, { label: t('dashboard.charts.transfers'), stroke: '#b35c00' }],
      [agents.agents.map((a) => a.handled), agents.agents.map((a) => a.transfers)], { range: (_u, _min, max) => [0, Math.max(1, max)] });
    categoryChart('chart-agents-csat', names, [{ label: t('dashboard.charts.csatSeries'), stroke: '#7b4bd6', width: 0, points: { size: 10, fill: '#7b4bd6' } }],
      [agents.agents.map((a) => a.csatAverage)], { range: [1, 5] });
    table('topics', topics.map((topic) => [topic.label, topic.size, el('td', t(`dashboard.topics.trendValue.${topic.trend}`), topic.trend), num(topic.csatAverage), Object.entries(topic.languages).map(([k, v]) => `${k} ${v}`).join(', '), topic.examples.map((e) => e.text).join(' | ')]));
    table('intents', m.topIntents.map((i) => [i.intent, i.turns]));
    table('reasons', Object.entries(m.handoffReasons).map(([k, v]) => [k, v]));
    table('agents', workRows(agents.agents));
    table('skills', workRows(agents.skills));
  }

  async function refresh() {
    const [m, topics, agents] = await Promise.all([get('/api/admin/analytics/metrics'), get('/api/admin/analytics/topics'), get('/api/admin/analytics/agents')]);
    fillSelect('channel', m.dimensions.channels); fillSelect('locale', m.dimensions.locales); fillSelect('pack', m.dimensions.packs);
    document.getElementById('csv').href = `/api/admin/analytics/learning.csv?${query()}`;
    document.getElementById('agents-csv').href = `/api/admin/analytics/agents.csv?${query()}`;
    last = { m, topics: topics.topics, agents };
    render();
    document.body.dataset.loaded = 'true';
  }

  let queue = null;
  function renderQueue() {
    if (!queue) return;
    const q = queue;
    table('queue', q.available ? q.queues.map((s) => [s.skill, s.language, s.waiting, secs(s.oldestWaitMs)]) : [[t('dashboard.queue.off'), '', '', '']]);
    document.getElementById('store').textContent = t('dashboard.queue.store', { backend: q.store.backend, state: t(q.store.storeUp ? 'dashboard.queue.up' : 'dashboard.queue.down'), buffered: q.store.buffered, written: q.store.written, dropped: q.store.dropped });
  }
  async function refreshQueue() {
    queue = await get('/api/admin/analytics/queue');
    renderQueue();
  }

  i18n.ready.then(() => {
    form.addEventListener('change', () => void refresh());
    document.addEventListener('carebot:language', () => { render(); renderQueue(); });
    void refresh();
    void refreshQueue();
    setInterval(() => void refreshQueue(), 5000);
  });
})();
