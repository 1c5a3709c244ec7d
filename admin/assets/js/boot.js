// Runs before first paint (classic script in <head>): applies the saved theme and language
// so the page does not flash the wrong colours or language.
(function () {
  var root = document.documentElement;
  try {
    var theme = localStorage.getItem('g2a.theme');
    if (theme === 'light' || theme === 'dark') root.setAttribute('data-theme', theme);
    var lang = localStorage.getItem('g2a.lang');
    if (lang !== 'zh' && lang !== 'en') lang = /^zh/i.test(navigator.language || '') ? 'zh' : 'en';
    root.setAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
  } catch (e) {
    /* storage blocked: defaults apply */
  }
})();
