// whatsapp-web.js brings puppeteer, whose postinstall would download a browser (and fail offline).
// carebot drives the system Chromium instead: set PUPPETEER_EXECUTABLE_PATH (default /usr/bin/chromium).
module.exports = { skipDownload: true };
