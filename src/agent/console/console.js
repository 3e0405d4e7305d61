// The agent console: my chats (several at once, each with its unread count and draft), the
// waiting handoffs with a preview, one open chat with assist, canned replies and private notes.
/* global document, window, setInterval */
import { $, alertAgent, api, item, login, mood, session, since, stream, t, text } from '/agent/staff.js';

/** id → { summary, seen: customer messages already shown, draft } */
const chats = new Map();
let current = null; // the open handoff view
let waiting = [];
let previewing = null;
let callback = null;
let canned = [];

const status = (value) => text($('status'), value);

async function refreshInbox() {
  const { body } = await api('GET', '/api/agent/inbox');
  if (!body) return;
  session.agent = body.agent;
  text($('who'), `${body.agent.name} (${body.agent.languages.join(', ')})`);
  $('availability').value = body.state === 'away' ? 'away' : 'available';
  $('supervisor-link').hidden = body.agent.role !== 'supervisor';
  text($('load'), t('console.load', { load: body.chats.length, capacity: body.capacity }));
  $('next').disabled = body.chats.length >= body.capacity || body.state === 'away';
  const held = new Set(body.chats.map((c) => c.id));
  for (const id of [...chats.keys()]) if (!held.has(id)) chats.delete(id);
  for (const summary of body.chats) {
    const known = chats.get(summary.id);
    // A chat that just arrived counts its customer's words so far as unread, unless it is the open one.
    chats.set(summary.id, { summary, seen: known?.seen ?? (current?.handoff.id === summary.id ? summary.customerMessages : 0), draft: known?.draft ?? '' });
  }
  if (current && !held.has(current.handoff.id)) closeChat();
  if (current) chats.get(current.handoff.id).seen = chats.get(current.handoff.id).summary.customerMessages;
  waiting = body.waiting;
  renderChats();
  renderWaiting();
  if (!current && chats.size) await open([...chats.keys()][0]);
}

function renderChats() {
  const now = Date.now();
  $('chats').replaceChildren(...[...chats.values()].map(({ summary, seen }) => {
    const unread = Math.max(0, summary.customerMessages - seen);
    const feeling = mood(summary.sentiment);
    const button = item('button', '', { type: 'button', class: 'chat', 'data-id': summary.id, 'aria-current': String(current?.handoff.id === summary.id), 'data-unread': String(unread) });
    const name = item('span', summary.customer, { class: 'chat-name' });
    const meta = item('span', `${summary.skill} · ${summary.language} · ${since(now - summary.createdAt)}`, { class: 'chat-meta' });
    const last = item('span', summary.lastMessage, { class: 'chat-last' });
    const sentiment = item('span', feeling.label, { class: `mood mood-${feeling.key}` });
    button.append(name, meta, last, sentiment);
    if (unread) button.append(item('span', String(unread), { class: 'unread', 'aria-label': t('console.unread', { count: unread }) }));
    button.addEventListener('click', () => void open(summary.id));
    const li = document.createElement('li');
    li.append(button);
    return li;
  }));
  document.title = `${[...chats.values()].some((c) => c.summary.customerMessages > c.seen) ? '● ' : ''}${t('console.title')}`;
}

function renderWaiting() {
  const now = Date.now();
  if (!waiting.length) return void $('waiting').replaceChildren(item('li', t('console.nobodyWaiting'), { class: 'empty' }));
  $('waiting').replaceChildren(...waiting.map((w) => {
    const button = item('button', '', { type: 'button', class: 'chat', 'data-id': w.id });
    button.append(item('span', w.customer, { class: 'chat-name' }), item('span', `${w.skill} · ${w.language} · ${since(now - w.createdAt)}`, { class: 'chat-meta' }), item('span', w.lastMessage, { class: 'chat-last' }));
    button.addEventListener('click', () => void preview(w.id));
    const li = document.createElement('li');
    li.append(button);
    return li;
  }));
}

async function refreshQueues() {
  const { body } = await api('GET', '/api/agent/queues');
  if (!body) return;
  const rows = body.queues.filter((q) => q.eligible).map((q) => {
    const tr = document.createElement('tr');
    for (const v of [q.skill, q.language, q.waiting, since(q.oldestWaitMs)]) tr.append(item('td', String(v)));
    return tr;
  });
  $('queues').tBodies[0].replaceChildren(...rows);
  $('transfer-skill').replaceChildren(...body.skills.map((s) => item('option', s, { value: s })));
  await refreshCallbacks();
}

// Callbacks booked outside working hours: claim one (one agent wins), message the customer, mark it done.
async function refreshCallbacks() {
  const { body } = await api('GET', '/api/agent/callbacks');
  if (!body) return;
  const rows = body.callbacks.map((c) => {
    const tr = document.createElement('tr');
    for (const v of [c.skill, c.locale, new Date(c.bookedAt).toLocaleString(), `${c.customer.name ?? c.customer.id} · ${c.channelId}`, c.summary.wants]) tr.append(item('td', String(v)));
    const button = item('button', c.state === 'open' ? t('console.claim') : t('console.open'), { type: 'button' });
    button.addEventListener('click', () => void (c.state === 'open' ? claimCallback(c) : openCallback(c)));
    const td = document.createElement('td');
    td.append(button);
    tr.append(td);
    return tr;
  });
  $('callbacks').tBodies[0].replaceChildren(...rows);
}

async function claimCallback(c) {
  const { status: code, body } = await api('POST', `/api/agent/callbacks/${c.id}/claim`);
  if (code !== 200) { status(body.error.message); return refreshCallbacks(); }
  openCallback(body.callback);
}

function openCallback(c) {
  callback = c;
  text($('callback-customer'), `${c.customer.name ?? c.customer.id} (${c.channelId})`);
  $('callback-reply').hidden = false;
  $('callback-text').focus();
}

$('callback-reply').addEventListener('submit', async (e) => {
  e.preventDefault();
  const box = $('callback-text');
  if (!callback || !box.value.trim()) return;
  const { status: code, body } = await api('POST', `/api/agent/callbacks/${callback.id}/messages`, { text: box.value });
  status(code === 202 ? t('console.status.sent') : body.error.message);
  if (code === 202) box.value = '';
});

$('callback-done').addEventListener('click', async () => {
  if (!callback) return;
  const { status: code, body } = await api('POST', `/api/agent/callbacks/${callback.id}/complete`, { disposition: 'called back' });
  if (code !== 200) return status(body.error.message);
  callback = null; $('callback-reply').hidden = true; status(t('console.status.callbackDone'));
  await refreshCallbacks();
});

// ---- one chat -----------------------------------------------------------------------------

function saveDraft() {
  if (current && chats.has(current.handoff.id)) chats.get(current.handoff.id).draft = $('reply-text').value;
}

async function open(id) {
  if (current?.handoff.id !== id) saveDraft();
  const { status: code, body } = await api('GET', `/api/agent/handoffs/${id}`);
  if (code !== 200) { closeChat(); return; }
  const switching = current?.handoff.id !== id;
  render(body);
  if (switching) $('reply-text').value = chats.get(id)?.draft ?? '';
  const chat = chats.get(id);
  if (chat) { chat.seen = body.messages.filter((m) => m.from === 'customer').length; renderChats(); }
}

function closeChat() {
  current = null;
  $('handoff').hidden = true;
  $('context').hidden = true;
  $('reply-text').value = '';
}

function labelled(pairs) {
  return pairs.filter(([, v]) => v !== undefined && v !== '').flatMap(([k, v]) => [item('dt', k), item('dd', v)]);
}

function summaryPairs(view) {
  const { handoff, labels } = view;
  const p = handoff.payload;
  return [
    [t('console.field.reason'), t(`console.reasons.${p.reason}`, { defaultValue: p.reason })],
    [t('console.field.skill'), labels.skill],
    [t('console.field.wants'), labels.wants],
    [t('console.field.lastMessage'), p.summary.lastMessage],
    [t('console.field.entities'), p.summary.entities.join(', ')],
    [t('console.field.intents'), labels.intents.map((i) => i.title).join(', ')],
    [t('console.field.sentiment'), p.sentimentTrend.map((s) => s.toFixed(1)).join(' → ')],
    ...labels.slots.map((s) => [s.label, s.value]),
  ];
}

function messageItem(m) {
  const who = m.from === 'note' ? t('console.from.note', { agent: m.by ?? '' }) : t(`console.from.${m.from}`);
  const li = item('li', '', { 'data-from': m.from, 'data-delivery': m.delivery ?? '', 'data-delivery-label': m.delivery ? t(`console.delivery.${m.delivery}`) : '' });
  li.append(item('span', who, { class: 'from' }), item('span', m.text, { class: 'text' }));
  return li;
}

function render(view) {
  const { handoff, messages, assist } = view;
  current = view;
  canned = view.canned;
  $('preview').hidden = true;
  $('handoff').hidden = false;
  $('context').hidden = false;
  const p = handoff.payload;
  text($('customer'), `${p.customer.name ?? p.customer.id} · ${p.customer.locale} · ${p.channelId}`);
  $('summary').replaceChildren(...labelled(summaryPairs(view)));
  $('transcript').replaceChildren(...p.transcript.map((m) => messageItem(m)));
  $('messages').replaceChildren(...messages.map(messageItem));
  // The customer walked away (kiosk reset, chat closed): say so, and let the agent close it in one click.
  $('visitor-left').hidden = !messages.some((m) => m.from === 'system' && m.event === 'customer-left');
  text($('assist-signals'), t('console.assistSignals', { intent: assist.intentTitle ?? assist.intent ?? '—', trend: assist.sentimentTrend.map((s) => s.toFixed(1)).join(' → ') || '—' }));
  text($('assist-action'), t('console.nextBestAction', { action: t(`console.actions.${assist.nextBestActionCode}`, { wants: view.labels.wants }) }));
  $('suggestions').replaceChildren(...assist.suggestions.map((s, i) => {
    const li = document.createElement('li');
    const button = item('button', s.text, { type: 'button', title: t('console.insertKey', { n: i + 1 }) });
    button.addEventListener('click', () => insert(s.text));
    li.append(button);
    return li;
  }));
  $('history').replaceChildren(...(view.history.length ? view.history.map((h) => item('li', t('console.historyItem', { when: new Date(h.createdAt).toLocaleString(), wants: h.wants, skill: h.skill, outcome: h.disposition ?? t(`console.states.${h.state}`), csat: h.csat ?? '—' }))) : [item('li', t('console.noHistory'), { class: 'empty' })]));
  renderChats();
}

function insert(suggestion) { const box = $('reply-text'); box.value = box.value ? `${box.value} ${suggestion}` : suggestion; box.focus(); }

async function preview(id) {
  const { status: code, body } = await api('GET', `/api/agent/waiting/${id}`);
  if (code !== 200) { status(body?.error?.message ?? ''); return refreshInbox(); }
  previewing = id;
  const p = body.handoff.payload;
  text($('preview-customer'), `${p.customer.name ?? p.customer.id} · ${p.customer.locale} · ${p.channelId}`);
  $('preview-summary').replaceChildren(...labelled(summaryPairs(body)));
  $('preview-transcript').replaceChildren(...p.transcript.map((m) => messageItem(m)));
  // The preview takes the chat's place until it is accepted or closed; the open chat keeps its draft.
  saveDraft();
  $('handoff').hidden = true;
  $('context').hidden = true;
  $('preview').hidden = false;
  $('preview-accept').focus();
}

async function accepted(response) {
  const { status: code, body } = response;
  if (code === 204) return status(t('console.status.nobody'));
  if (code !== 200) { status(body.error.message); return refreshInbox(); }
  status('');
  saveDraft();
  render(body);
  $('reply-text').value = '';
  await refreshInbox();
  $('reply-text').focus();
}

$('preview-accept').addEventListener('click', async () => {
  if (!previewing) return;
  const id = previewing;
  previewing = null;
  await accepted(await api('POST', `/api/agent/handoffs/${id}/accept`));
});
$('preview-close').addEventListener('click', () => {
  previewing = null;
  $('preview').hidden = true;
  if (current) { $('handoff').hidden = false; $('context').hidden = false; }
});
$('next').addEventListener('click', async () => accepted(await api('POST', '/api/agent/handoffs/next')));

$('availability').addEventListener('change', async () => {
  await api('POST', '/api/agent/status', { state: $('availability').value });
  await refreshInbox();
});

// ---- replies, canned responses, notes --------------------------------------------------------

function cannedMatches() {
  const value = $('reply-text').value;
  if (!value.startsWith('/')) return null;
  const query = value.slice(1).trim().toLowerCase();
  return canned.filter((c) => !query || c.title.toLowerCase().includes(query) || c.id.includes(query) || c.text.toLowerCase().includes(query));
}

let cannedIndex = 0;
function renderCanned() {
  const list = $('canned');
  const matches = cannedMatches();
  const shown = matches !== null;
  list.hidden = !shown;
  $('reply-text').setAttribute('aria-expanded', String(shown));
  if (!shown) return;
  cannedIndex = Math.min(cannedIndex, Math.max(0, matches.length - 1));
  if (!matches.length) return void list.replaceChildren(item('li', t('console.noCanned'), { class: 'empty' }));
  list.replaceChildren(...matches.map((c, i) => {
    const li = item('li', '', { role: 'option', id: `canned-${c.id}`, 'aria-selected': String(i === cannedIndex) });
    li.append(item('strong', c.title), item('span', c.text));
    li.addEventListener('mousedown', (e) => { e.preventDefault(); pickCanned(c); });
    return li;
  }));
  $('reply-text').setAttribute('aria-activedescendant', `canned-${matches[cannedIndex].id}`);
}

function pickCanned(c) {
  $('reply-text').value = c.text;
  cannedIndex = 0;
  renderCanned();
  $('reply-text').focus();
}

$('reply-text').addEventListener('input', () => { cannedIndex = 0; renderCanned(); });
$('reply-text').addEventListener('keydown', (e) => {
  const matches = cannedMatches();
  if (matches?.length) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); cannedIndex = (cannedIndex + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length; return renderCanned(); }
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) { e.preventDefault(); return pickCanned(matches[cannedIndex]); }
  }
  if (matches && e.key === 'Escape') { $('reply-text').value = ''; return renderCanned(); }
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) $('reply').requestSubmit();
});

$('reply').addEventListener('submit', async (e) => {
  e.preventDefault();
  const box = $('reply-text');
  if (!current || !box.value.trim() || box.value.startsWith('/')) return;
  const id = current.handoff.id;
  const { status: code, body } = await api('POST', `/api/agent/handoffs/${id}/messages`, { text: box.value });
  if (code !== 202) return status(body.error.message);
  box.value = '';
  if (chats.has(id)) chats.get(id).draft = '';
  await open(id);
});

$('note-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const box = $('note-text');
  if (!current || !box.value.trim()) return;
  const { status: code, body } = await api('POST', `/api/agent/handoffs/${current.handoff.id}/notes`, { text: box.value });
  if (code !== 201) return status(body.error.message);
  box.value = '';
  await open(current.handoff.id);
});

$('transfer').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!current) return;
  const { status: code, body } = await api('POST', `/api/agent/handoffs/${current.handoff.id}/transfer`, { skill: $('transfer-skill').value });
  if (code !== 200) return status(body.error.message);
  chats.delete(current.handoff.id);
  closeChat(); status(t('console.status.transferred'));
  await refreshInbox();
});

$('resolve-left').addEventListener('click', async () => {
  if (!current) return;
  const { status: code, body } = await api('POST', `/api/agent/handoffs/${current.handoff.id}/resolve`, { disposition: 'visitor left' });
  if (code !== 200) return status(body.error.message);
  chats.delete(current.handoff.id);
  closeChat(); status(t('console.status.resolved'));
  await refreshInbox();
  $('next').focus();
});

$('resolve').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!current) return;
  const note = $('note').value;
  const { status: code, body } = await api('POST', `/api/agent/handoffs/${current.handoff.id}/resolve`, { disposition: $('disposition').value, ...(note ? { note } : {}) });
  if (code !== 200) return status(body.error.message);
  chats.delete(current.handoff.id);
  closeChat(); $('note').value = ''; status(t('console.status.resolved'));
  await refreshInbox();
  $('next').focus();
});

document.addEventListener('keydown', (e) => {
  if (!e.altKey) return;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    const ids = [...chats.keys()];
    if (!ids.length) return;
    e.preventDefault();
    const at = current ? ids.indexOf(current.handoff.id) : -1;
    return void open(ids[(at + (e.key === 'ArrowDown' ? 1 : ids.length - 1) + ids.length) % ids.length]);
  }
  const n = Number(e.key);
  const buttons = $('suggestions').querySelectorAll('button');
  if (n >= 1 && n <= buttons.length) { e.preventDefault(); buttons[n - 1].click(); }
});

// ---- live events ----------------------------------------------------------------------------

function onEvent(event) {
  const mine = event.agentId === session.agent?.id;
  if (event.type === 'queue-changed') return void refreshInbox().then(refreshQueues);
  if (!mine) return;
  if (event.type === 'assigned') {
    // The agent's own "Accept" needs no alarm; an auto-assigned or reassigned chat does.
    if (event.by !== 'agent') alertAgent(t('console.notify.assignedTitle'), t('console.notify.assignedBody'), `assigned-${event.handoffId}`);
    return void refreshInbox();
  }
  if (event.type === 'unassigned') {
    chats.delete(event.handoffId);
    if (current?.handoff.id === event.handoffId) { closeChat(); status(t('console.status.reassigned')); }
    return void refreshInbox();
  }
  if (event.type === 'customer-message') {
    const open_ = current?.handoff.id === event.handoffId;
    if (!open_ || document.hidden) alertAgent(t('console.notify.messageTitle', { customer: chats.get(event.handoffId)?.summary.customer ?? '' }), event.message?.text ?? '', `message-${event.handoffId}`);
    if (open_) void open(event.handoffId).then(refreshInbox);
    else void refreshInbox();
    return;
  }
  if (current && event.handoffId === current.handoff.id && ['delivery', 'cancelled'].includes(event.type)) void open(current.handoff.id);
}

async function start() {
  await window.carebotI18n.ready;
  $('login').hidden = true;
  $('desk').hidden = false;
  $('logout').hidden = false;
  $('availability-label').hidden = false;
  await refreshInbox();
  await refreshQueues();
  stream(onEvent);
  // Waiting times and "since" labels move on even when nothing happens.
  setInterval(() => { renderChats(); renderWaiting(); }, 15_000);
  $('next').focus();
}

document.addEventListener('carebot:language', () => {
  renderChats(); renderWaiting();
  if (current) void open(current.handoff.id);
});

login(start);
