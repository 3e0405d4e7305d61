// carebot kiosk: pluggable voice input. A device's `voiceInput` picks the recognizer:
//   browser   – the browser's SpeechRecognition (Chromium sends the audio to its maker's cloud),
//   websocket – the operator's own ASR over a WebSocket (protocol in the README),
//   none      – no voice input at all (no microphone button).
// Every recognizer reports the same way: onResult(text), onError(kind), onEnd(); `kind` is
// 'denied' (microphone not allowed), 'network', 'no-service' (no recognizer reachable) or
// 'not-heard'. The first three are lasting: the page hides the button and says why.
'use strict';

(() => {
  const LASTING = new Set(['denied', 'network', 'no-service']);
  const TARGET_RATE = 16000;
  const MAX_SECONDS = 15;

  function browserRecognition() {
    return window.SpeechRecognition || window.webkitSpeechRecognition || null;
  }

  /** The browser's SpeechRecognition error codes, as the kinds above. */
  function browserErrorKind(code) {
    if (code === 'not-allowed') return 'denied';
    if (code === 'network') return 'network';
    if (code === 'service-not-allowed' || code === 'audio-capture' || code === 'language-not-supported') return 'no-service';
    if (code === 'aborted') return null;
    return 'not-heard';
  }

  function browserRecognizer(lang, handlers) {
    const Recognition = browserRecognition();
    const recognition = new Recognition();
    recognition.lang = lang;
    recognition.interimResults = false;
    recognition.maxAlternatives = 1;
    let heard = false;
    let failed = false;
    recognition.onresult = (event) => {
      heard = true;
      handlers.onResult(event.results[0][0].transcript);
    };
    recognition.onerror = (event) => {
      const kind = browserErrorKind(event.error);
      failed = true;
      if (kind) handlers.onError(kind);
    };
    recognition.onend = () => {
      if (!heard && !failed) handlers.onError('not-heard');
      handlers.onEnd();
    };
    return {
      start: () => recognition.start(),
      stop: () => recognition.stop(),
      abort: () => recognition.abort(),
    };
  }

  /** Float32 samples at `fromRate` → 16-bit little-endian PCM at 16 kHz (what the ASR protocol takes). */
  function toPcm16(samples, fromRate) {
    const ratio = fromRate / TARGET_RATE;
    const length = Math.floor(samples.length / ratio);
    const out = new DataView(new ArrayBuffer(length * 2));
    for (let i = 0; i < length; i += 1) {
      const sample = Math.max(-1, Math.min(1, samples[Math.floor(i * ratio)]));
      out.setInt16(i * 2, sample < 0 ? sample * 0x8000 : sample * 0x7fff, true);
    }
    return out.buffer;
  }

  function websocketRecognizer(url, lang, handlers) {
    let ws = null;
    let media = null;
    let audio = null;
    let done = false;
    let stopTimer = null;

    function stopAudio() {
      clearTimeout(stopTimer);
      if (audio) { audio.processor.disconnect(); audio.source.disconnect(); audio.context.close().catch(() => undefined); audio = null; }
      if (media) { media.getTracks().forEach((track) => track.stop()); media = null; }
    }
    function finish(kind, text) {
      if (done) return;
      done = true;
      stopAudio();
      if (ws && ws.readyState <= 1) ws.close(1000);
      if (text) handlers.onResult(text);
      else if (kind) handlers.onError(kind);
      handlers.onEnd();
    }
    function stop() {
      stopAudio();
      if (ws && ws.readyState === 1) ws.send(JSON.stringify({ type: 'stop' }));
    }

    async function start() {
      if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== 'function') return finish('no-service');
      try {
        media = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
      } catch (error) {
        return finish(error && (error.name === 'NotAllowedError' || error.name === 'SecurityError') ? 'denied' : 'no-service');
      }
      if (done) return stopAudio();
      ws = new WebSocket(url);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => {
        ws.send(JSON.stringify({ type: 'start', language: lang, sampleRate: TARGET_RATE, encoding: 'pcm_s16le', channels: 1 }));
        const context = new (window.AudioContext || window.webkitAudioContext)();
        const source = context.createMediaStreamSource(media);
        // ScriptProcessor: deprecated but everywhere, and needs no second file for a worklet.
        const processor = context.createScriptProcessor(4096, 1, 1);
        processor.onaudioprocess = (event) => {
          if (ws && ws.readyState === 1 && audio) ws.send(toPcm16(event.inputBuffer.getChannelData(0), context.sampleRate));
        };
        source.connect(processor);
        processor.connect(context.destination);
        audio = { context, source, processor };
        stopTimer = setTimeout(stop, MAX_SECONDS * 1000);
      };
      ws.onmessage = (event) => {
        let message;
        try { message = JSON.parse(event.data); } catch { return; }
        if (message.type === 'final') finish(message.text ? null : 'not-heard', (message.text || '').trim());
        else if (message.type === 'error') finish('no-service');
      };
      ws.onclose = () => finish(audio || media ? 'no-service' : 'not-heard');
    }

    return { start: () => { start(); }, stop, abort: () => finish(null) };
  }

  window.KioskSpeech = {
    lasting: (kind) => LASTING.has(kind),
    /** Whether this device can listen at all (decides if the microphone button shows). */
    available(device) {
      if (device.voiceInput === 'none') return false;
      if (device.voiceInput === 'websocket') return Boolean(device.asrUrl) && typeof WebSocket === 'function';
      return Boolean(browserRecognition());
    },
    create(device, lang, handlers) {
      if (device.voiceInput === 'websocket') return websocketRecognizer(`${device.asrUrl}${device.asrUrl.includes('?') ? '&' : '?'}language=${encodeURIComponent(lang)}`, lang, handlers);
      return browserRecognizer(lang, handlers);
    },
  };
})();
