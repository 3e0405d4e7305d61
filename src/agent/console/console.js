// The agent console: plain DOM, the REST API and the WebSocket stream. No framework.
/* global document, location, sessionStorage, fetch, WebSocket, setTimeout */
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem('carebot.agent.token');
let current = null;
let socket = null;
let callback = null;

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 401 && path !== '/api/agent/login') return logout();
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function text(el, value) { el.textContent = value ?? ''; return el; }
function item(tag, value, attrs = {}) { const el = text(document.createElement(tag), value); for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v); return el; }

function logout() { sessionStorage.removeItem('carebot.agent.token'); token = null; location.reload(); }

async function refreshQueues() {
  const { body } = await api('GET', '/api/agent/queues');
  if (!body) return;
  text($('who'), `${body.agent.name} (${body.agent.languages.join(', ')})`);
  const rows = body.queues.filter((q) => q.eligible).map((q) => {
    const tr = document.createElement('tr');
    for (const v of [q.skill, q.language, q.waiting, `${Math.round(q.oldestWaitMs / 1000)} s`]) tr.append(item('td', String(v)));
    return tr;
  });
  $('queues').tBodies[0].replaceChildren(...rows);
  $('transfer-skill').replaceChildren(...body.skills.map((s) => item('option', s, { value: s })));
  if (!current && body.held.length) await show(body.held[0]);
  await refreshCallbacks();
}

// Callbacks booked outside working hours: claim one (one agent wins), message the customer, mark it done.
async function refreshCallbacks() {
  const { body } = await api('GET', '/api/agent/callbacks');
  if (!body) return;
  const rows = body.callbacks.map((c) => {
    const tr = document.createElement('tr');
    for (const v of [c.skill, c.locale, new Date(c.bookedAt).toLocaleString(), `${c.customer.name ?? c.customer.id} · ${c.channelId}`, c.summary.wants]) tr.append(item('td', String(v)));
    const button = item('button', c.state === 'open' ? 'Claim' : 'Open', { type: 'button' });
    button.addEventListener('click', () => void (c.state === 'open' ? claimCallback(c) : openCallback(c)));
    const td = document.createElement('td');
    td.append(button);
    tr.append(td);
    return tr;
  });
  $('callbacks').tBodies[0].replaceChildren(...rows);
}

async function claimCallback(c) {
  const { status, body } = await api('POST', `/api/agent/callbacks/${c.id}/claim`);
  if (status !== 200) { text($('status'), body.error.message); return refreshCallbacks(); }
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
  const { status, body } = await api('POST', `/api/agent/callbacks/${callback.id}/messages`, { text: box.value });
  text($('status'), status === 202 ? 'Sent.' : body.error.message);
  if (status === 202) box.value = '';
});

$('callback-done').addEventListener('click', async () => {
  if (!callback) return;
  const { status, body } = await api('POST', `/api/agent/callbacks/${callback.id}/complete`, { disposition: 'called back' });
  if (status !== 200) return text($('status'), body.error.message);
  callback = null; $('callback-reply').hidden = true; text($('status'), 'Callback done.');
  await refreshCallbacks();
});

async function show(id) {
  const { status, body } = await api('GET', `/api/agent/handoffs/${id}`);
  if (status !== 200) { current = null; $('handoff').hidden = true; return; }
  render(body);
}

function render(view) {
  const { handoff, messages, assist } = view;
  current = handoff;
  $('handoff').hidden = false;
  const p = handoff.payload;
  text($('customer'), `${p.customer.name ?? p.customer.id} · ${p.customer.locale} · ${p.channelId}`);
  const pairs = [
    ['Reason', p.reason], ['Skill', handoff.skill], ['Wants', p.summary.wants], ['Last message', p.summary.lastMessage],
    ['Entities', p.summary.entities.join(', ')], ['Intents', p.intentsSeen.join(', ')], ['Sentiment', p.sentimentTrend.map((s) => s.toFixed(1)).join(' → ')],
    ...Object.entries(p.slots).map(([k, v]) => [k, v]),
  ];
  $('summary').replaceChildren(...pairs.flatMap(([k, v]) => [item('dt', k), item('dd', v)]));
  $('transcript').replaceChildren(...p.transcript.map((t) => item('li', `${t.from}: ${t.text}`, { 'data-from': t.from })));
  $('messages').replaceChildren(...messages.map((m) => item('li', `${m.from}: ${m.text}`, { 'data-from': m.from, 'data-delivery': m.delivery ?? '' })));
  // The customer walked away (kiosk reset, chat closed): say so, and let the agent close it in one click.
  $('visitor-left').hidden = !messages.some((m) => m.from === 'system' && m.event === 'customer-left');
  text($('assist-signals'), `Intent: ${assist.intent ?? '—'} · sentiment: ${assist.sentimentTrend.map((s) => s.toFixed(1)).join(' → ') || '—'}`);
  text($('assist-action'), `Next best action: ${assist.nextBestAction}`);
  $('suggestions').replaceChildren(...assist.suggestions.map((s, i) => {
    const li = document.createElement('li');
    const button = item('button', s.text, { type: 'button', title: `Alt+${i + 1} inserts` });
    button.addEventListener('click', () => insert(s.text));
    li.append(button);
    return li;
  }));
}

function insert(suggestion) { const box = $('reply-text'); box.value = box.value ? `${box.value} ${suggestion}` : suggestion; box.focus(); }

function connect() {
  socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/agent/stream?token=${encodeURIComponent(token)}`);
  socket.addEventListener('message', (e) => {
    const event = JSON.parse(e.data);
    if (event.type === 'queue-changed') void refreshQueues();
    if (current && event.handoffId === current.id && ['customer-message', 'delivery', 'cancelled'].includes(event.type)) void show(current.id);
  });
  socket.addEventListener('close', () => { if (token) setTimeout(connect, 1000); });
}

async function start() {
  $('login').hidden = true;
  $('desk').hidden = false;
  await refreshQueues();
  connect();
  $('next').focus();
}

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await fetch('/api/agent/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId: $('agent-id').value, password: $('password').value }) });
  const body = await res.json();
  if (res.status !== 200) return text($('login-error'), body.error.message);
  token = body.token;
  sessionStorage.setItem('carebot.agent.token', token);
  await start();
});

$('next').addEventListener('click', async () => {
  const { status, body } = await api('POST', '/api/agent/handoffs/next');
  if (status === 204) return text($('status'), 'Nobody is waiting for you.');
  text($('status'), '');
  render(body);
  $('reply-text').focus();
});

$('reply').addEventListener('submit', async (e) => {
  e.preventDefault();
  const box = $('reply-text');
  if (!current || !box.value.trim()) return;
  const { status, body } = await api('POST', `/api/agent/handoffs/${current.id}/messages`, { text: box.value });
  if (status !== 202) return text($('status'), body.error.message);
  box.value = '';
  await show(current.id);
});
$('reply-text').addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) $('reply').requestSubmit(); });

$('transfer').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!current) return;
  const { status, body } = await api('POST', `/api/agent/handoffs/${current.id}/transfer`, { skill: $('transfer-skill').value });
  if (status !== 200) return text($('status'), body.error.message);
  current = null; $('handoff').hidden = true; text($('status'), 'Transferred.');
});

$('resolve').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!current) return;
  const note = $('note').value;
  const { status, body } = await api('POST', `/api/agent/handoffs/${current.id}/resolve`, { disposition: $('disposition').value, ...(note ? { note } : {}) });
  if (status !== 200) return text($('status'), body.error.message);
  current = null; $('handoff').hidden = true; $('note').value = ''; text($('status'), 'Resolved.'); $('next').focus();
});

$('resolve-left').addEventListener('click', async () => {
  if (!current) return;
  const { status, body } = await api('POST', `/api/agent/handoffs/${current.id}/resolve`, { disposition: 'visitor left' });
  if (status !== 200) return text($('status'), body.error.message);
  current = null; $('handoff').hidden = true; text($('status'), 'Resolved.'); $('next').focus();
});

document.addEventListener('keydown', (e) => {
  if (!e.altKey) return;
  const n = Number(e.key);
  const buttons = $('suggestions').querySelectorAll('button');
  if (n >= 1 && n <= buttons.length) { e.preventDefault(); buttons[n - 1].click(); }
});

if (token) void start();
