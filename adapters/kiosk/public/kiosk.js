// carebot kiosk page: a small Direct Line 3.0 client (fetch + WebSocket) with big buttons,
// speech in and out where the device allows it, and an idle reset between visitors.
// It recovers by itself: the token is renewed at half its life even on an idle screen, and a
// conversation the server no longer knows (401/403/404 after a restart or an expiry) is replaced
// by a new one in the same language, with a kind word to the visitor.
'use strict';

(() => {
  const VOICES = { en: 'en-US', 'zh-CN': 'zh-CN', 'zh-TW': 'zh-TW', 'zh-HK': 'zh-HK' };
  const deviceId = new URLSearchParams(location.search).get('device') || '';
  const $ = (id) => document.getElementById(id);
  const app = $('app');

  let session = null; // { token, conversationId, expires_in, device, strings }
  let conversation = null; // { id, token, userId, ws, pollTimer, retryTimer, watermark, unsent, failures }
  let locale = null;
  let stage = 'none'; // the handoff's word on where the visitor stands: none | waiting | agent | survey
  let idleTimer = null;
  let renewTimer = null;
  let recognizer = null;
  let micBroken = false;
  let recovering = null;

  const t = (key) => (session && session.strings[locale] && session.strings[locale][key]) || (session && session.strings.en && session.strings.en[key]) || key;
  /** A refusal that no retry cures: the token or the conversation is gone (restart, expiry). */
  const isGone = (error) => error && (error.status === 401 || error.status === 403 || error.status === 404);

  function show(state) {
    app.dataset.state = state;
    $('languages').hidden = state !== 'languages' && state !== 'loading' && state !== 'unavailable';
    $('chat').hidden = state !== 'chat';
  }

  async function fetchSession() {
    const response = await fetch(`/kiosk/session?device=${encodeURIComponent(deviceId)}`, { cache: 'no-store' });
    if (!response.ok) throw Object.assign(new Error(`session ${response.status}`), { status: response.status });
    return response.json();
  }

  async function boot() {
    show('loading');
    try {
      session = await fetchSession();
      $('status').textContent = '';
      renewLater(session.expires_in);
      show('languages');
    } catch (error) {
      session = null;
      $('status').textContent = 'This kiosk is not available right now. 此服务台暂时无法使用。呢部服務機暫時用唔到。';
      show('unavailable');
      // A server restarting comes back: try again (a device not served here stays unavailable).
      if (!error.status || error.status >= 500) setTimeout(() => { if (!session && !conversation) boot(); }, 5000);
    }
  }

  async function directLine(method, path, token, body, options = {}) {
    let response;
    try {
      response = await fetch(`/v3/directline${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        ...options,
      });
    } catch (error) {
      throw Object.assign(new Error('network'), { status: 0, cause: error });
    }
    if (!response.ok) throw Object.assign(new Error(`directline ${response.status}`), { status: response.status });
    return response.json();
  }

  // ---- token renewal: at half the token's life, whether a visitor is there or not ----

  function renewLater(expiresIn) {
    clearTimeout(renewTimer);
    renewTimer = setTimeout(renew, Math.max(1, (expiresIn || 1800) / 2) * 1000);
  }

  async function renew() {
    const holder = conversation || session;
    if (!holder) return;
    try {
      const renewed = await directLine('POST', '/tokens/refresh', holder.token);
      if ((conversation || session) !== holder) return;
      holder.token = renewed.token;
      renewLater(renewed.expires_in);
    } catch (error) {
      if (!isGone(error)) return void (renewTimer = setTimeout(renew, 5000));
      if (holder === conversation) recover(conversation);
      else if (holder === session && !conversation) boot();
    }
  }

  // ---- the conversation ----

  async function chooseLanguage(chosen) {
    if (!session) return;
    locale = chosen;
    document.documentElement.lang = chosen;
    $('title').textContent = t('title');
    $('start-over').querySelector('span').textContent = t('startOver');
    $('send').querySelector('span').textContent = t('send');
    $('mic').querySelector('span').textContent = t('speak');
    $('input').placeholder = t('placeholder');
    $('cancel-waiting').textContent = t('cancelWaiting');
    $('waiting-text').textContent = t('waiting');
    const voice = window.KioskSpeech.available(session.device) && !micBroken;
    $('mic').hidden = !voice;
    // A device set to no voice input just has no button; a browser without speech says to type.
    $('hint').textContent = voice || session.device.voiceInput === 'none' ? '' : t('micUnavailable');
    setStage('none');
    show('chat');
    touch();
    if (!conversation) await startConversation();
  }

  async function startConversation() {
    const started = session;
    try {
      const reply = await directLine('POST', '/conversations', started.token, { locale });
      if (session !== started || !locale) return;
      conversation = { id: reply.conversationId, token: reply.token, userId: userOf(reply.token), ws: null, pollTimer: null, retryTimer: null, watermark: undefined, unsent: null, failures: 0 };
      renewLater(reply.expires_in);
      openStream(conversation, reply.streamUrl);
    } catch (error) {
      if (session !== started || !locale) return;
      $('hint').textContent = t('offline');
      if (isGone(error)) {
        // The session's token died while the screen sat there (a restart without a shared key): a fresh one.
        try { session = await fetchSession(); } catch { /* retried below */ }
      }
      setTimeout(() => { if (!conversation && locale) startConversation(); }, isGone(error) ? 500 : 2000);
    }
  }

  function userOf(token) {
    try { return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).user; } catch { return null; }
  }

  function openStream(current, streamUrl) {
    if (conversation !== current) return;
    if (typeof WebSocket !== 'function') return poll(current);
    let opened = false;
    const ws = new WebSocket(streamUrl);
    current.ws = ws;
    ws.onopen = () => {
      opened = true;
      current.failures = 0;
      if ($('hint').textContent === t('offline')) $('hint').textContent = '';
    };
    ws.onmessage = (event) => { if (event.data) receive(current, JSON.parse(event.data)); };
    ws.onclose = () => {
      if (conversation !== current || current.ws !== ws) return;
      current.ws = null;
      // Closed by a restart (1001), a network drop, or refused (the browser hides the status):
      // ask the REST API, which says whether the conversation still exists.
      reconnect(current, opened);
    };
  }

  async function reconnect(current, hadOpened) {
    if (conversation !== current) return;
    const query = current.watermark ? `?watermark=${encodeURIComponent(current.watermark)}` : '';
    try {
      const reply = await directLine('GET', `/conversations/${encodeURIComponent(current.id)}${query}`, current.token);
      if (conversation !== current) return;
      current.token = reply.token;
      renewLater(reply.expires_in);
      // Refused twice though the conversation exists: no WebSocket through this network; poll.
      if (!hadOpened && (current.failures += 1) >= 2) return poll(current);
      openStream(current, reply.streamUrl);
    } catch (error) {
      if (conversation !== current) return;
      if (isGone(error)) return recover(current);
      $('hint').textContent = t('offline');
      current.failures += 1;
      current.retryTimer = setTimeout(() => reconnect(current, hadOpened), Math.min(10_000, 500 * 2 ** Math.min(current.failures, 5)));
    }
  }

  function poll(current) {
    if (conversation !== current) return;
    const query = current.watermark ? `?watermark=${encodeURIComponent(current.watermark)}` : '';
    directLine('GET', `/conversations/${encodeURIComponent(current.id)}/activities${query}`, current.token)
      .then((set) => { receive(current, set); if ($('hint').textContent === t('offline')) $('hint').textContent = ''; })
      .catch((error) => { if (isGone(error)) recover(current); else if (conversation === current) $('hint').textContent = t('offline'); })
      .finally(() => { if (conversation === current) current.pollTimer = setTimeout(() => poll(current), 1000); });
  }

  /** The server no longer knows this conversation: start a new one in the same language, and say so. */
  function recover(current) {
    if (conversation !== current || recovering) return recovering;
    recovering = (async () => {
      const unsent = current.unsent;
      stopConversation(current);
      conversation = null;
      setStage('none');
      for (;;) {
        try {
          session = await fetchSession();
          break;
        } catch {
          $('hint').textContent = t('offline');
          await new Promise((resolve) => setTimeout(resolve, 2000));
          if (!locale) return;
        }
      }
      if (!locale) return;
      addNotice(t('reconnected'));
      $('hint').textContent = '';
      await startConversation();
      if (unsent && conversation) post(unsent);
    })().finally(() => { recovering = null; });
    return recovering;
  }

  function stopConversation(current) {
    clearTimeout(current.pollTimer);
    clearTimeout(current.retryTimer);
    if (current.ws) { const ws = current.ws; current.ws = null; ws.close(); }
  }

  function receive(current, set) {
    if (conversation !== current) return;
    if (set.watermark) current.watermark = set.watermark;
    for (const activity of set.activities || []) {
      if (activity.type !== 'message') continue;
      if (activity.from && activity.from.id === current.userId) continue; // our own echo: already shown
      const handoff = activity.channelData && activity.channelData.handoff;
      const fromAgent = activity.channelData && activity.channelData.from === 'agent';
      addMessage(fromAgent ? 'agent' : 'bot', activity.text || '');
      if (typeof handoff === 'string') setStage(handoff);
      if (stage === 'survey' && handoff === 'survey') showRating();
      else showSuggestions((activity.suggestedActions && activity.suggestedActions.actions) || []);
      say(activity.speak || activity.text || '', activity.locale || locale);
    }
  }

  /** Waiting for a person: the wait shows with a big cancel button, and the idle reset waits longer. */
  function setStage(next) {
    stage = next;
    $('waiting').hidden = stage !== 'waiting';
    touch();
  }

  function addMessage(who, text) {
    if (!text) return;
    const item = document.createElement('li');
    item.className = who;
    if (who === 'agent') {
      const label = document.createElement('span');
      label.className = 'who';
      label.textContent = t('agent');
      item.append(label);
    }
    item.append(document.createTextNode(text));
    $('messages').appendChild(item);
    keepNewestInView();
  }

  function addNotice(text) {
    const item = document.createElement('li');
    item.className = 'notice';
    item.textContent = text;
    $('messages').appendChild(item);
    keepNewestInView();
  }

  /** After the layout settles (suggestions and the wait bar take room from the log), the newest message shows whole. */
  function keepNewestInView() {
    const log = $('messages');
    log.scrollTop = log.scrollHeight;
    requestAnimationFrame(() => { log.scrollTop = log.scrollHeight; });
  }

  function showSuggestions(actions) {
    const box = $('suggestions');
    box.replaceChildren();
    for (const action of actions) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = action.title || String(action.value);
      button.addEventListener('click', () => send(String(action.value != null ? action.value : action.title), action.title || String(action.value)));
      box.appendChild(button);
    }
    keepNewestInView();
  }

  /** The CSAT question after an agent resolved: five big buttons rather than "type 1 to 5". */
  function showRating() {
    const box = $('suggestions');
    box.replaceChildren();
    for (let score = 1; score <= 5; score += 1) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'rating';
      button.setAttribute('aria-label', `${t('rating')} ${score}`);
      button.innerHTML = '<svg class="icon" aria-hidden="true"><use href="#icon-star"/></svg>';
      button.append(document.createTextNode(String(score)));
      button.addEventListener('click', () => send(String(score)));
      box.appendChild(button);
    }
    keepNewestInView();
  }

  function say(text, replyLocale) {
    const synth = window.speechSynthesis;
    if (!synth || typeof window.SpeechSynthesisUtterance !== 'function' || !text) return;
    const lang = VOICES[replyLocale] || replyLocale || 'en-US';
    const utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    const voices = typeof synth.getVoices === 'function' ? synth.getVoices() : [];
    const voice = voices.find((v) => v.lang === lang) || voices.find((v) => v.lang && v.lang.startsWith(lang.slice(0, 2)));
    if (voice) utterance.voice = voice;
    synth.cancel();
    synth.speak(utterance);
  }

  function send(text, shown) {
    const trimmed = (text || '').trim();
    if (!trimmed || !conversation) return;
    touch();
    addMessage('user', shown || trimmed);
    showSuggestions([]);
    post(trimmed);
  }

  async function post(text) {
    const current = conversation;
    current.unsent = text;
    for (let attempt = 0; conversation === current; attempt += 1) {
      try {
        await directLine('POST', `/conversations/${encodeURIComponent(current.id)}/activities`, current.token, {
          type: 'message', text, locale, channelData: { chosenLocale: locale },
        });
        current.unsent = null;
        if ($('hint').textContent === t('offline')) $('hint').textContent = '';
        return;
      } catch (error) {
        // A dead conversation: a new one, where the question is asked again.
        if (isGone(error)) return void recover(current);
        $('hint').textContent = t('offline');
        if (attempt >= 5) return;
        await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
      }
    }
  }

  // ---- voice input (speech-input.js) ----

  function micFailed(kind) {
    if (kind === 'not-heard') { $('hint').textContent = t('notHeard'); return; }
    $('hint').textContent = t(kind === 'denied' ? 'micDenied' : kind === 'network' ? 'micNetwork' : 'micNoService');
    if (window.KioskSpeech.lasting(kind)) { micBroken = true; $('mic').hidden = true; }
  }

  function toggleMic() {
    if (!session || micBroken) return;
    touch();
    if (recognizer) { recognizer.stop(); return; }
    const current = window.KioskSpeech.create(session.device, VOICES[locale] || 'en-US', {
      onResult: (text) => send(text),
      onError: micFailed,
      onEnd: () => {
        if (recognizer !== current) return;
        recognizer = null;
        $('mic').setAttribute('aria-pressed', 'false');
        if ($('hint').textContent === t('listening')) $('hint').textContent = '';
      },
    });
    recognizer = current;
    $('mic').setAttribute('aria-pressed', 'true');
    $('hint').textContent = t('listening');
    current.start();
  }

  function touch() {
    clearTimeout(idleTimer);
    if (!session || !locale) return;
    const seconds = stage === 'waiting' ? session.device.waitingIdleTimeoutSeconds : session.device.idleTimeoutSeconds;
    idleTimer = setTimeout(reset, seconds * 1000);
  }

  /** The visitor walked away (idle) or tapped "start over": the bot hears they left, the screen starts fresh. */
  function leave(current) {
    stopConversation(current);
    // keepalive: the request outlives a page that is being reloaded.
    directLine('POST', `/conversations/${encodeURIComponent(current.id)}/activities`, current.token, { type: 'endOfConversation' }, { keepalive: true }).catch(() => undefined);
  }

  /** Privacy between visitors: forget the screen and the conversation, start fresh. */
  async function reset() {
    clearTimeout(idleTimer);
    const old = conversation;
    conversation = null;
    locale = null;
    if (old) leave(old);
    if (recognizer) { const current = recognizer; recognizer = null; current.abort(); }
    $('mic').setAttribute('aria-pressed', 'false');
    if (window.speechSynthesis && typeof window.speechSynthesis.cancel === 'function') window.speechSynthesis.cancel();
    $('messages').replaceChildren();
    $('suggestions').replaceChildren();
    $('input').value = '';
    $('hint').textContent = '';
    setStage('none');
    await boot();
  }

  document.querySelectorAll('[data-locale]').forEach((button) => {
    button.addEventListener('click', () => { chooseLanguage(button.dataset.locale); });
  });
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('input').value;
    $('input').value = '';
    send(text);
  });
  $('input').addEventListener('input', touch);
  $('mic').addEventListener('click', toggleMic);
  $('start-over').addEventListener('click', reset);
  // "cancel" is understood in every language (the handoff's own cancel words); the bubble shows the visitor's.
  $('cancel-waiting').addEventListener('click', () => send('cancel', t('cancelWaiting')));
  boot();
})();
