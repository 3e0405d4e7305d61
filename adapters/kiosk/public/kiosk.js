// carebot kiosk page: a small Direct Line 3.0 client (fetch + WebSocket) with big buttons,
// speech in and out where the browser has it, and an idle reset between visitors.
'use strict';

(() => {
  const VOICES = { en: 'en-US', 'zh-CN': 'zh-CN', 'zh-TW': 'zh-TW', 'zh-HK': 'zh-HK' };
  const deviceId = new URLSearchParams(location.search).get('device') || '';
  const $ = (id) => document.getElementById(id);
  const app = $('app');

  let session = null; // { token, conversationId, device, strings }
  let conversation = null; // { id, token, userId, ws, pollTimer, watermark, refreshTimer }
  let locale = null;
  let idleTimer = null;
  let recognition = null;

  const t = (key) => (session && session.strings[locale] && session.strings[locale][key]) || (session && session.strings.en && session.strings.en[key]) || key;

  function show(state) {
    app.dataset.state = state;
    $('languages').hidden = state !== 'languages' && state !== 'loading' && state !== 'unavailable';
    $('chat').hidden = state !== 'chat';
  }

  async function fetchSession() {
    const response = await fetch(`/kiosk/session?device=${encodeURIComponent(deviceId)}`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`session ${response.status}`);
    return response.json();
  }

  async function boot() {
    show('loading');
    try {
      session = await fetchSession();
      $('status').textContent = '';
      show('languages');
    } catch {
      session = null;
      $('status').textContent = 'This kiosk is not available right now. 此服务台暂时无法使用。呢部服務機暫時用唔到。';
      show('unavailable');
    }
  }

  async function api(method, path, body) {
    const response = await fetch(`/v3/directline${path}`, {
      method,
      headers: { authorization: `Bearer ${conversation.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw Object.assign(new Error(`directline ${response.status}`), { status: response.status });
    return response.json();
  }

  async function chooseLanguage(chosen) {
    if (!session) return;
    locale = chosen;
    document.documentElement.lang = chosen;
    $('title').textContent = t('title');
    $('start-over').textContent = t('startOver');
    $('send').textContent = t('send');
    $('input').placeholder = t('placeholder');
    $('mic').textContent = `🎤 ${t('speak')}`;
    $('mic').hidden = !recognitionClass();
    $('hint').textContent = recognitionClass() ? '' : t('micUnavailable');
    show('chat');
    touch();
    if (!conversation) await startConversation();
  }

  async function startConversation() {
    conversation = { id: session.conversationId, token: session.token, userId: null, ws: null, pollTimer: null, watermark: undefined };
    try { conversation.userId = JSON.parse(atob(session.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).user; } catch { /* opaque token */ }
    const started = await api('POST', '/conversations', { locale });
    conversation.token = started.token;
    conversation.refreshTimer = setInterval(refreshToken, Math.max(30, (started.expires_in || 1800) / 2) * 1000);
    openStream(started.streamUrl);
  }

  async function refreshToken() {
    if (!conversation) return;
    try { conversation.token = (await api('POST', '/tokens/refresh')).token; } catch { /* the idle reset starts over anyway */ }
  }

  function openStream(streamUrl) {
    const current = conversation;
    if (typeof WebSocket !== 'function') return poll(current);
    let opened = false;
    const ws = new WebSocket(streamUrl);
    current.ws = ws;
    ws.onopen = () => { opened = true; };
    ws.onmessage = (event) => { if (event.data) receive(current, JSON.parse(event.data)); };
    ws.onclose = () => {
      if (conversation !== current) return;
      current.ws = null;
      // No WebSocket through this network (or it dropped): fall back to polling with the watermark.
      if (!opened || conversation === current) poll(current);
    };
  }

  function poll(current) {
    if (conversation !== current) return;
    const query = current.watermark ? `?watermark=${encodeURIComponent(current.watermark)}` : '';
    api('GET', `/conversations/${encodeURIComponent(current.id)}/activities${query}`)
      .then((set) => receive(current, set))
      .catch(() => { $('hint').textContent = t('offline'); })
      .finally(() => { if (conversation === current) current.pollTimer = setTimeout(() => poll(current), 1000); });
  }

  function receive(current, set) {
    if (conversation !== current) return;
    if (set.watermark) current.watermark = set.watermark;
    for (const activity of set.activities || []) {
      if (activity.type !== 'message') continue;
      if (activity.from && activity.from.id === current.userId) continue; // our own echo: already shown
      addMessage('bot', activity.text || '');
      showSuggestions((activity.suggestedActions && activity.suggestedActions.actions) || []);
      say(activity.speak || activity.text || '', activity.locale || locale);
    }
  }

  function addMessage(who, text) {
    if (!text) return;
    const item = document.createElement('li');
    item.className = who;
    item.textContent = text;
    $('messages').appendChild(item);
    item.scrollIntoView({ block: 'end' });
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

  async function send(text, shown) {
    const trimmed = (text || '').trim();
    if (!trimmed || !conversation) return;
    touch();
    addMessage('user', shown || trimmed);
    showSuggestions([]);
    try {
      await api('POST', `/conversations/${encodeURIComponent(conversation.id)}/activities`, {
        type: 'message', text: trimmed, locale, channelData: { chosenLocale: locale },
      });
    } catch {
      $('hint').textContent = t('offline');
    }
  }

  function recognitionClass() {
    return window.SpeechRecognition || window.webkitSpeechRecognition || null;
  }

  function toggleMic() {
    const Recognition = recognitionClass();
    if (!Recognition) return;
    touch();
    if (recognition) { recognition.stop(); return; }
    recognition = new Recognition();
    recognition.lang = VOICES[locale] || 'en-US';
    recognition.interimResults = false;
    recognition.maxAlternatives = 1;
    $('mic').setAttribute('aria-pressed', 'true');
    $('hint').textContent = t('listening');
    recognition.onresult = (event) => send(event.results[0][0].transcript);
    recognition.onend = () => { recognition = null; $('mic').setAttribute('aria-pressed', 'false'); $('hint').textContent = ''; };
    recognition.start();
  }

  function touch() {
    clearTimeout(idleTimer);
    if (!session) return;
    idleTimer = setTimeout(reset, session.device.idleTimeoutSeconds * 1000);
  }

  /** Privacy between visitors: forget the screen and the conversation, start fresh. */
  async function reset() {
    clearTimeout(idleTimer);
    const old = conversation;
    conversation = null;
    locale = null;
    if (old) {
      clearTimeout(old.pollTimer);
      clearInterval(old.refreshTimer);
      if (old.ws) old.ws.close();
    }
    if (recognition) recognition.abort();
    if (window.speechSynthesis && typeof window.speechSynthesis.cancel === 'function') window.speechSynthesis.cancel();
    $('messages').replaceChildren();
    $('suggestions').replaceChildren();
    $('input').value = '';
    $('hint').textContent = '';
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
  boot();
})();
