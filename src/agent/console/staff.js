// Shared by the agent console and the supervisor view: the session, the API, the login form,
// translations and the alerts (sound, desktop notification). Plain DOM, no framework.
/* global document, location, sessionStorage, fetch, window, Notification, AudioContext, URLSearchParams */
const TOKEN_KEY = 'carebot.agent.token';

export const $ = (id) => document.getElementById(id);
export const t = (key, vars) => window.carebotI18n.t(key, vars);
export const session = { token: sessionStorage.getItem(TOKEN_KEY), agent: null };

export function text(el, value) { el.textContent = value ?? ''; return el; }
export function item(tag, value, attrs = {}) {
  const el = text(document.createElement(tag), value);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** The language the page is shown in, sent to the API so titles come back in it. */
export const pageLanguage = () => window.i18next?.language ?? 'en';

export async function api(method, path, body) {
  const sep = path.includes('?') ? '&' : '?';
  const res = await fetch(`${path}${sep}lang=${encodeURIComponent(pageLanguage())}`, {
    method,
    headers: { authorization: `Bearer ${session.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 401) { logout(); return { status: 401, body: undefined }; }
  const raw = await res.text();
  return { status: res.status, body: raw ? JSON.parse(raw) : undefined };
}

export function logout() { sessionStorage.removeItem(TOKEN_KEY); session.token = null; location.reload(); }

/** Binds the login form; resolves once the agent is logged in (at once with a saved session). */
export function login(onLoggedIn) {
  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    // Asked on a click (browsers only ask on a user gesture); a refusal just means no desktop alerts.
    if ('Notification' in window && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
    const res = await fetch('/api/agent/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId: $('agent-id').value, password: $('password').value }) });
    const body = await res.json();
    await window.carebotI18n.ready;
    if (res.status !== 200) return text($('login-error'), res.status === 401 ? t('login.wrong') : body.error.message);
    session.token = body.token;
    sessionStorage.setItem(TOKEN_KEY, session.token);
    await onLoggedIn();
  });
  $('logout')?.addEventListener('click', logout);
  // Back from single sign-on: the token (or the reason it failed) comes in the fragment, never in a URL a server logs.
  const back = new URLSearchParams(location.hash.slice(1));
  if (back.has('token') || back.has('sso-error')) window.history.replaceState(null, '', location.pathname + location.search);
  if (back.get('token')) { session.token = back.get('token'); sessionStorage.setItem(TOKEN_KEY, session.token); }
  if (back.get('sso-error')) void window.carebotI18n.ready.then(() => text($('login-error'), t(`login.ssoErrors.${back.get('sso-error')}`, { defaultValue: back.get('sso-error') })));
  void fetch('/api/agent/oidc').then((res) => res.json()).then((body) => { if ($('sso')) $('sso').hidden = !body.enabled; }).catch(() => undefined);
  if (session.token) void onLoggedIn();
}

export function stream(onEvent) {
  const socket = new window.WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/agent/stream?token=${encodeURIComponent(session.token)}`);
  socket.addEventListener('message', (e) => onEvent(JSON.parse(e.data)));
  socket.addEventListener('close', () => { if (session.token) window.setTimeout(() => stream(onEvent), 1000); });
  return socket;
}

let audio = null;
/** A short two-tone beep made with WebAudio (no sound file to fetch). */
export function beep() {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    for (const [i, frequency] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, now + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.12 + 0.1);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.12);
      osc.stop(now + i * 0.12 + 0.1);
    }
  } catch { /* no audio device: the visual badge still shows */ }
}

/** Sound plus a desktop notification when the agent allowed them; `tag` folds repeats of one chat. */
export function alertAgent(title, body, tag) {
  beep();
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  try { new Notification(title, { body, tag }); } catch { /* some browsers only notify from a service worker */ }
}

/** "3 min" / "45 s" in the page language. */
export function since(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 60 ? t('console.time.seconds', { count: seconds }) : seconds < 3600 ? t('console.time.minutes', { count: Math.floor(seconds / 60) }) : t('console.time.hours', { count: Math.floor(seconds / 3600) });
}

/** A sentiment score as a word the agent reads at a glance. */
export function mood(score) {
  if (score === undefined || score === null) return { key: 'neutral', label: t('console.sentiment.unknown') };
  if (score <= -0.5) return { key: 'negative', label: t('console.sentiment.negative') };
  if (score < 0) return { key: 'uneasy', label: t('console.sentiment.uneasy') };
  return { key: 'positive', label: t('console.sentiment.positive') };
}
