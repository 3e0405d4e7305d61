/* carebot review screen: missed messages → intents, retrain, before/after figure. Plain DOM. */
(() => {
  'use strict';
  const i18n = window.carebotI18n;
  const t = (key, vars) => i18n.t(key, vars);
  const filters = document.getElementById('filters');
  const lessons = document.getElementById('lessons');
  const groupsBox = document.getElementById('groups');
  const status = document.getElementById('status');
  const problemsBox = document.getElementById('problems');
  const figure = document.getElementById('figure');
  let data = null;
  let lastChange = null;
  let current = null;

  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const pct = (v) => `${(v * 100).toFixed(1)}%`;
  const language = () => (window.i18next && window.i18next.language) || 'en';
  const title = (titles) => titles[language()] || titles.en;

  async function call(path, options = {}) {
    const res = await fetch(path, { credentials: 'same-origin', ...options });
    if (res.status === 401) { location.reload(); throw new Error('signed out'); }
    const body = await res.json().catch(() => ({}));
    return { ok: res.ok, status: res.status, body };
  }

  function query() {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(filters)) if (v) params.set(k, String(v));
    return params.toString();
  }

  function figureText(evaluation) {
    const s = evaluation.summary;
    return t('review.model.figure', { accuracy: pct(s.accuracy), f1: pct(s.macroF1), examples: s.examples, intents: evaluation.intents, folds: s.folds });
  }

  function renderFigure() {
    figure.replaceChildren();
    if (lastChange && lastChange.before && lastChange.after) {
      const b = lastChange.before.summary; const a = lastChange.after.summary;
      figure.append(el('span', t('review.model.beforeAfter', { before: pct(b.accuracy), after: pct(a.accuracy), beforeExamples: b.examples, afterExamples: a.examples })));
      figure.dataset.after = String(a.accuracy);
    } else if (current) {
      figure.append(el('span', figureText(current)));
    } else {
      figure.append(el('span', t('review.model.computing')));
    }
  }

  async function loadEvaluation() {
    const r = await call('/api/admin/teach/evaluation');
    if (r.ok) { current = r.body; renderFigure(); }
  }

  function decisionSelect(item) {
    const select = el('select');
    select.name = 'decision';
    select.setAttribute('aria-label', t('review.decisionFor', { text: item.text }));
    select.add(new Option(t('review.choose'), ''));
    select.add(new Option(t('review.dismiss'), 'dismiss'));
    select.add(new Option(t('review.createIntent'), 'new'));
    if (item.suggestions.length) {
      const group = el('optgroup'); group.label = t('review.suggestions');
      for (const s of item.suggestions) group.append(new Option(`${title(s.titles)} — ${pct(s.confidence)}`, `intent:${s.intent}`));
      select.append(group);
    }
    for (const pack of data.packs) {
      const group = el('optgroup'); group.label = title(pack.titles);
      for (const intent of data.intents.filter((i) => i.pack === pack.id)) group.append(new Option(`${title(intent.titles)} (${intent.id})`, `intent:${intent.id}`));
      select.append(group);
    }
    return select;
  }

  function render() {
    groupsBox.replaceChildren();
    document.getElementById('empty').hidden = data.groups.length > 0;
    document.getElementById('teach').hidden = data.groups.length === 0;
    data.groups.forEach((group, g) => {
      const section = el('section', undefined, 'group');
      const heading = el('h2', `${group.label} (${group.items.reduce((n, i) => n + i.count, 0)})`);
      heading.id = `group-${g}`;
      section.setAttribute('aria-labelledby', heading.id);
      const table = el('table');
      const head = el('tr');
      for (const key of ['review.message', 'review.why', 'review.times', 'review.decision']) head.append(el('th', t(key)));
      table.append(el('thead')); table.tHead.append(head);
      const body = el('tbody');
      for (const item of group.items) {
        const row = el('tr', undefined, 'item');
        row.dataset.text = item.text;
        const text = el('td', item.text, 'text');
        text.lang = item.locale === 'zh-HK' ? 'zh-HK' : item.locale.startsWith('zh') ? item.locale : 'en';
        const choose = el('td');
        const select = decisionSelect(item);
        choose.append(select);
        row.append(text, el('td', t(`review.kind.${item.kind}`)), el('td', String(item.count)), choose);
        body.append(row);
        select.addEventListener('change', () => {
          const next = row.nextElementSibling;
          if (next && next.classList.contains('new-intent-row')) next.remove();
          if (select.value !== 'new') return;
          const extra = el('tr', undefined, 'new-intent-row');
          const cell = el('td'); cell.colSpan = 4;
          cell.append(document.getElementById('new-intent').content.cloneNode(true));
          extra.append(cell);
          row.after(extra);
          i18n.apply(extra);
          extra.querySelector('input[name=id]').focus();
        });
      }
      table.append(body);
      section.append(heading, table);
      groupsBox.append(section);
    });
  }

  async function loadReview() {
    const r = await call(`/api/admin/teach/review?${query()}`);
    if (!r.ok) { status.textContent = r.body.error ? r.body.error.message : String(r.status); return; }
    data = r.body;
    render();
    document.body.dataset.loaded = 'true';
  }

  async function loadLog() {
    const r = await call('/api/admin/teach/log?limit=20');
    if (!r.ok) return;
    const body = document.querySelector('#log tbody');
    body.replaceChildren(...r.body.entries.map((e) => {
      const tr = el('tr');
      const text = e.text === null ? '' : e.text;
      for (const cell of [new Date(e.at).toLocaleString(language()), e.actor, t(`review.log.action.${e.action}`), e.intent || '', text]) tr.append(el('td', cell));
      return tr;
    }));
  }

  function decisions() {
    const out = [];
    for (const row of groupsBox.querySelectorAll('tr.item')) {
      const value = row.querySelector('select').value;
      const text = row.dataset.text;
      if (!value) continue;
      if (value === 'dismiss') out.push({ action: 'dismiss', text });
      else if (value.startsWith('intent:')) out.push({ action: 'label', text, intent: value.slice(7) });
      else if (value === 'new') {
        const box = row.nextElementSibling;
        const field = (name) => box.querySelector(`[name="${name}"]`).value.trim();
        out.push({
          action: 'create', texts: [text],
          intent: {
            id: field('id'), examples: field('example') ? [field('example')] : [],
            title: { en: field('title-en'), 'zh-CN': field('title-zh-CN'), 'zh-HK': field('title-zh-HK') },
            answer: { en: field('answer-en'), 'zh-CN': field('answer-zh-CN'), 'zh-HK': field('answer-zh-HK') },
          },
        });
      }
    }
    return out;
  }

  lessons.addEventListener('submit', async (event) => {
    event.preventDefault();
    problemsBox.hidden = true;
    const chosen = decisions();
    if (!chosen.length) { status.textContent = t('review.nothingChosen'); return; }
    const button = document.getElementById('teach');
    button.disabled = true;
    status.textContent = t('review.teaching');
    try {
      const r = await call('/api/admin/teach/decisions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ decisions: chosen }) });
      if (!r.ok) {
        const error = r.body.error || { message: String(r.status), problems: [] };
        problemsBox.replaceChildren(el('p', error.message));
        const list = el('ul');
        for (const p of error.problems || []) list.append(el('li', `${p.file}:${p.line}: ${p.reason}`));
        problemsBox.append(list);
        problemsBox.hidden = false;
        status.textContent = '';
        return;
      }
      lastChange = r.body;
      if (r.body.after) current = r.body.after;
      status.textContent = t('review.taught', { taught: r.body.taught, dismissed: r.body.dismissed, version: r.body.version });
      renderFigure();
      await Promise.all([loadReview(), loadLog()]);
    } finally {
      button.disabled = false;
    }
  });

  i18n.ready.then(() => {
    filters.addEventListener('change', () => void loadReview());
    document.addEventListener('carebot:language', () => { if (data) render(); renderFigure(); void loadLog(); });
    renderFigure();
    void loadReview();
    void loadLog();
    void loadEvaluation();
  });
})();
