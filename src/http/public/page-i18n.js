// Translates a staff page in the browser. Include after /i18n/i18next.js:
//   <script src="/i18n/i18next.js"></script><script src="/i18n/page-i18n.js"></script>
// Elements carry data-i18n="key" (text), data-i18n-attr="placeholder:key,title:key2" (attributes).
// A <select data-i18n-language> switches the language; the choice is remembered per browser.
(function () {
  'use strict';
  var LANGUAGES = ['en', 'zh-CN', 'zh-HK'];
  var STORAGE_KEY = 'carebot.pageLanguage';

  function pick() {
    var saved = null;
    try { saved = localStorage.getItem(STORAGE_KEY); } catch (e) { /* private mode */ }
    if (saved && LANGUAGES.indexOf(saved) >= 0) return saved;
    var wanted = navigator.languages || [navigator.language || 'en'];
    for (var i = 0; i < wanted.length; i++) {
      var tag = String(wanted[i]);
      if (/^zh-(HK|MO|TW|Hant)/i.test(tag)) return 'zh-HK';
      if (/^zh/i.test(tag)) return 'zh-CN';
      if (/^en/i.test(tag)) return 'en';
    }
    return 'en';
  }

  function load(language) {
    return fetch('/i18n/' + language + '/pages.json').then(function (res) {
      if (!res.ok) throw new Error('translations ' + language + ': ' + res.status);
      return res.json();
    });
  }

  function apply(root) {
    var t = window.i18next.t.bind(window.i18next);
    (root || document).querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = t(el.getAttribute('data-i18n')); });
    (root || document).querySelectorAll('[data-i18n-attr]').forEach(function (el) {
      el.getAttribute('data-i18n-attr').split(',').forEach(function (pair) {
        var parts = pair.split(':');
        el.setAttribute(parts[0].trim(), t(parts[1].trim()));
      });
    });
    document.documentElement.lang = window.i18next.language;
  }

  function change(language) {
    return load(language).then(function (resources) {
      window.i18next.addResourceBundle(language, 'pages', resources, true, true);
      return window.i18next.changeLanguage(language);
    }).then(function () {
      try { localStorage.setItem(STORAGE_KEY, language); } catch (e) { /* private mode */ }
      apply();
      document.dispatchEvent(new CustomEvent('carebot:language', { detail: language }));
    });
  }

  var language = pick();
  var ready = Promise.all([load(language), language === 'en' ? null : load('en')]).then(function (bundles) {
    var resources = {};
    resources[language] = { pages: bundles[0] };
    if (bundles[1]) resources.en = { pages: bundles[1] };
    return window.i18next.init({ lng: language, fallbackLng: 'en', ns: ['pages'], defaultNS: 'pages', resources: resources, interpolation: { escapeValue: false } });
  }).then(function () {
    apply();
    document.querySelectorAll('select[data-i18n-language]').forEach(function (select) {
      select.value = window.i18next.language;
      select.addEventListener('change', function () { change(select.value); });
    });
  });

  window.carebotI18n = {
    ready: ready,
    t: function (key, options) { return window.i18next.t(key, options); },
    apply: apply,
    change: change,
    languages: LANGUAGES,
  };
})();
