// The supervisor view: agents and their load, queues, live chats (read along, reassign) and callbacks.
/* global document, window, setInterval */
import { $, api, item, login, session, since, stream, t, text } from '/agent/staff.js';

let floor = null;
let reading = null;
const status = (value) => text($('status'), value);

function cell(tr, value, attrs) { tr.append(item('td', String(value ?? ''), attrs)); }

function renderFloor() {
  if (!floor) return;
  const now = Date.now();
  const names = new Map(floor.agents.map((a) => [a.id, a.name]));
  $('agents').tBodies[0].replaceChildren(...floor.agents.map((a) => {
    const tr = item('tr', '', { 'data-agent': a.id });
    cell(tr, `${a.name}${a.role === 'supervisor' ? ` (${t('supervisor.roles.supervisor')})` : ''}`);
    const state = item('td', '');
    state.append(item('span', t(`supervisor.states.${a.state}`), { class: `state state-${a.state}`, 'data-state': a.state }));
    tr.append(state);
    cell(tr, `${a.load}/${a.capacity}`);
    cell(tr, a.skills.join(', '));
    cell(tr, a.languages.join(', '));
    return tr;
  }));
  $('queues').tBodies[0].replaceChildren(...(floor.queues.length ? floor.queues.map((q) => {
    const tr = document.createElement('tr');
    for (const v of [q.skill, q.language, q.waiting, since(q.oldestWaitMs)]) cell(tr, v);
    return tr;
  }) : [emptyRow(4, 'supervisor.noQueues')]));
  $('live').tBodies[0].replaceChildren(...(floor.chats.length ? floor.chats.map((c) => liveRow(c, names, now)) : [emptyRow(7, 'supervisor.noChats')]));
  $('callbacks').tBodies[0].replaceChildren(...(floor.callbacks.length ? floor.callbacks.map(callbackRow) : [emptyRow(7, 'supervisor.noCallbacks')]));
}

function emptyRow(span, key) {
  const tr = document.createElement('tr');
  tr.append(item('td', t(key), { colspan: String(span), class: 'empty' }));
  return tr;
}

function liveRow(c, names, now) {
  const tr = item('tr', '', { 'data-handoff': c.id });
  for (const v of [c.customer, names.get(c.agentId) ?? c.agentId, c.skill, c.language, since(now - (c.assignedAt ?? c.createdAt)), c.lastMessage]) cell(tr, v);
  const actions = item('td', '', { class: 'row-actions' });
  const read = item('button', t('supervisor.readAlong'), { type: 'button', class: 'read-along' });
  read.addEventListener('click', () => void readAlong(c.id));
  const select = item('select', '', { 'aria-label': t('supervisor.reassignTo'), class: 'reassign-to' });
  const candidates = floor.agents.filter((a) => a.id !== c.agentId && a.languages.includes(c.language) && a.state !== 'offline');
  select.append(...candidates.map((a) => item('option', `${a.name} (${a.load}/${a.capacity})`, { value: a.id })));
  const reassign = item('button', t('supervisor.reassign'), { type: 'button', class: 'reassign' });
  reassign.disabled = candidates.length === 0;
  reassign.addEventListener('click', () => void reassignChat(c.id, select.value));
  actions.append(read, select, reassign);
  tr.append(actions);
  return tr;
}

function callbackRow(c) {
  const tr = item('tr', '', { 'data-callback': c.id });
  const state = c.state === 'claimed' ? t('supervisor.claimedBy', { agent: c.agentId }) : t(c.due ? 'supervisor.due' : 'supervisor.open');
  for (const v of [new Date(c.bookedAt).toLocaleString(), c.skill, c.locale, `${c.customer.name ?? c.customer.id} · ${c.channelId}`, c.summary.wants]) cell(tr, v);
  cell(tr, state, { 'data-due': String(c.due) });
  const actions = item('td', '');
  if (c.state === 'open') {
    const claim = item('button', t('supervisor.claim'), { type: 'button' });
    claim.addEventListener('click', () => void callbackAction(c.id, 'claim'));
    actions.append(claim);
  } else if (c.agentId === session.agent?.id) {
    const done = item('button', t('supervisor.done'), { type: 'button' });
    done.addEventListener('click', () => void callbackAction(c.id, 'complete'));
    actions.append(done);
  }
  tr.append(actions);
  return tr;
}

async function refresh() {
  const { status: code, body } = await api('GET', '/api/supervisor/floor');
  if (code === 403) { $('floor').hidden = true; return status(t('supervisor.forbidden')); }
  if (code !== 200) return;
  floor = body;
  renderFloor();
}

async function readAlong(id) {
  const { status: code, body } = await api('GET', `/api/supervisor/handoffs/${id}`);
  if (code !== 200) return status(body.error.message);
  reading = id;
  const p = body.handoff.payload;
  text($('read-customer'), `${p.customer.name ?? p.customer.id} · ${p.customer.locale} · ${p.channelId}`);
  $('read-messages').replaceChildren(...body.messages.map((m) => {
    const li = item('li', '', { 'data-from': m.from });
    li.append(item('span', m.from === 'note' ? t('console.from.note', { agent: m.by ?? '' }) : t(`console.from.${m.from}`), { class: 'from' }), item('span', m.text, { class: 'text' }));
    return li;
  }));
  $('read-along').hidden = false;
}

async function reassignChat(id, agentId) {
  if (!agentId) return;
  const { status: code, body } = await api('POST', `/api/supervisor/handoffs/${id}/reassign`, { agentId });
  status(code === 200 ? t('supervisor.status.reassigned', { agent: floor.agents.find((a) => a.id === agentId)?.name ?? agentId }) : body.error.message);
  await refresh();
}

async function callbackAction(id, action) {
  const { status: code, body } = await api('POST', `/api/agent/callbacks/${id}/${action}`, action === 'complete' ? { disposition: 'called back' } : undefined);
  status(code === 200 ? t(action === 'claim' ? 'supervisor.status.claimed' : 'supervisor.status.done') : body.error.message);
  await refresh();
}

$('read-close').addEventListener('click', () => { reading = null; $('read-along').hidden = true; });

async function start() {
  await window.carebotI18n.ready;
  $('login').hidden = true;
  $('logout').hidden = false;
  $('floor').hidden = false;
  const { body } = await api('GET', '/api/agent/inbox');
  if (body) { session.agent = body.agent; text($('who'), body.agent.name); }
  await refresh();
  stream((event) => {
    if (reading && event.handoffId === reading && ['customer-message', 'delivery'].includes(event.type)) void readAlong(reading);
    if (['queue-changed', 'assigned', 'unassigned', 'customer-message'].includes(event.type)) void refresh();
  });
  setInterval(renderFloor, 15_000);
}

document.addEventListener('carebot:language', () => { renderFloor(); if (reading) void readAlong(reading); });

login(start);
