// A student's first minute, in a real browser: open a lesson in JupyterLab and check that its saved charts show —
// interactive (plotly.js, served by the course's own JupyterLab) in the trusted lesson, as pictures in an untrusted
// copy — that the status bar shows the kernel Idle and the lesson unmodified before anything runs, then choose
// Run → Run All Cells, wait for the kernel, and check that tables and interactive charts are
// drawn, no cell failed, plotly.js was fetched once and nothing was fetched from anywhere but the local server.
// Then a notebook with a chart of each kind the lessons draw (lines on log axes, grouped bars, heatmap panels),
// saved by the kernel and never trusted: each shows as a picture, and after Run All each is drawn by plotly.js.
// Usage: node browser.js LESSON_URL UNTRUSTED_URL SCREENSHOT CHARTS_URL CHARTS_SCREENSHOT
const { chromium } = require('playwright-core');

const [url, untrustedUrl, screenshot, chartsUrl, chartsScreenshot] = process.argv.slice(2);
const origin = new URL(url).origin;

/** Run > Run All Cells, then wait until every code cell has an execution count and the kernel is idle. */
async function runAll(page) {
  await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
  await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
  await page.waitForFunction(() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent);
    const idle = [...document.querySelectorAll('.jp-StatusBar-TextItem')].some(e => /Idle/.test(e.textContent));
    return prompts.length > 0 && prompts.every(t => /\[\d+\]/.test(t)) && idle;
  }, null, { timeout: 180000 });
  await page.waitForTimeout(2500);
}

async function open(page, address) {
  // reset: JupyterLab would otherwise reopen the notebooks of the last visit beside this one
  await page.goto(address + '&reset');
  await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60000 });
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // this machine's network is closed: no background connections, no component updates
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const foreign = [];
    const consoleLog = [];
    let plotlyFetches = 0;
    const newPage = async () => {
      const p = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      p.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') consoleLog.push(m.text().slice(0, 300)); });
      p.on('request', r => {
        if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url());
        if (r.url().includes('plotly.min.js')) plotlyFetches++;
      });
      return p;
    };

    // an untrusted copy: JupyterLab strips the scripts, the saved pictures must show
    let page = await newPage();
    await open(page, untrustedUrl);
    try {
      await page.waitForSelector('.effconv-chart img', { timeout: 60000 });
    } catch (e) {
      throw new Error('the untrusted saved notebook shows no chart picture');
    }
    await page.waitForTimeout(1500);
    const pictures = await page.locator('.effconv-chart img').evaluateAll(
      imgs => imgs.filter(i => i.complete && i.naturalWidth > 0).length);

    // the lesson itself, trusted by ./course setup, alone in a fresh page: the saved charts become interactive
    // without running anything
    await page.close();
    plotlyFetches = 0;
    page = await newPage();
    await open(page, url);
    try {
      // JupyterLab renders cells lazily, so a busy machine may need a while before the first chart shows
      await page.waitForSelector('.effconv-plotly .main-svg', { timeout: 60000 });
    } catch (e) {
      throw new Error('the saved (trusted) notebook shows no interactive chart when opened');
    }
    await page.waitForTimeout(2000);
    const saved = await page.locator('.effconv-plotly').count();

    // before anything runs: the status bar says the kernel is Idle (not "Unknown"), and connecting the kernel did
    // not modify the lesson (its saved kernelspec and language_info are what the kernel reports)
    try {
      await page.waitForFunction(() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]
        .some(e => /\bIdle\b/.test(e.textContent)), null, { timeout: 60000 });
    } catch (e) {
      const shown = await page.locator('.jp-StatusBar-TextItem').allTextContents();
      throw new Error('after opening, the kernel status never showed Idle: ' + shown.join(' | ')
        + '\n  browser console: ' + consoleLog.slice(-8).join('\n  '));
    }
    await page.waitForTimeout(3000);
    const dirtyOnOpen = await page.locator('.lm-TabBar-tab.jp-mod-dirty').count();
    if (dirtyOnOpen > 0) throw new Error('opening the lesson marked it modified (unsaved changes) before anything ran');

    await runAll(page);

    const charts = await page.locator('.effconv-chart').count();
    const drawn = await page.locator('.effconv-plotly').evaluateAll(
      plots => plots.filter(p => p.querySelector('svg.main-svg')).length);
    const tables = await page.locator('.jp-OutputArea-output table').count();
    const errors = await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count();
    await page.screenshot({ path: screenshot });
    console.log(`browser: on open: kernel Idle, lesson unmodified; untrusted copy: ${pictures} chart pictures; saved lesson: ${saved} interactive charts; `
      + `after Run All: ${charts} charts (${drawn} drawn by plotly.js), tables ${tables}, error outputs ${errors}; `
      + `plotly.js fetched ${plotlyFetches} time(s); requests off the local server: ${foreign.length}`);
    if (pictures === 0) throw new Error('no saved chart picture was shown in the untrusted copy');
    if (saved < pictures) throw new Error(`only ${saved} of ${pictures} saved charts became interactive`);
    if (charts < saved || drawn < charts) throw new Error('not every chart was drawn by plotly.js after Run All');
    if (tables === 0) throw new Error('no table was drawn after Run All');
    if (errors > 0) throw new Error(`${errors} cell(s) failed in the browser`);
    if (plotlyFetches !== 1) throw new Error(`plotly.js was fetched ${plotlyFetches} times, not once`);
    if (foreign.length > 0) throw new Error('requests left the local server: ' + foreign.slice(0, 3).join(', '));

    // every kind of chart: pictures while untrusted, then interactive after Run All
    await page.close();
    plotlyFetches = 0;
    page = await newPage();
    await open(page, chartsUrl);
    await page.waitForSelector('.effconv-chart img', { timeout: 60000 });
    await page.waitForTimeout(1500);
    const kindPictures = await page.locator('.effconv-chart img').evaluateAll(
      imgs => imgs.filter(i => i.complete && i.naturalWidth > 0).length);
    const kindsBefore = await page.locator('.effconv-plotly').count();
    await runAll(page);
    // what plotly.js drew: each plot's trace types and axis types, read from the plot itself
    const kinds = await page.locator('.effconv-plotly').evaluateAll(plots => plots
      .filter(p => p.querySelector('svg.main-svg') && p.data)
      .map(p => p.data.map(t => t.type || 'scatter').join('+')
        + (p._fullLayout.xaxis.type === 'log' || p._fullLayout.yaxis.type === 'log' ? ' (log)' : '')));
    const kindErrors = await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count();
    await page.screenshot({ path: chartsScreenshot, fullPage: true });
    console.log(`browser: every kind of chart: untrusted ${kindPictures} pictures and ${kindsBefore} interactive charts; `
      + `after Run All drawn by plotly.js: ${kinds.join(', ')}; plotly.js fetched ${plotlyFetches} time(s); `
      + `requests off the local server: ${foreign.length}`);
    if (kindPictures < 3) throw new Error(`the untrusted notebook showed ${kindPictures} chart pictures, not 3`);
    if (kindsBefore > 0) throw new Error('an untrusted notebook ran scripts: its saved charts were interactive');
    for (const [what, test] of [['lines on log axes', k => /^scatter(\+scatter)* \(log\)$/.test(k)],
                                ['grouped bars', k => /^bar\+bar/.test(k)],
                                ['heatmap panels', k => k === 'heatmap']]) {
      if (!kinds.some(test)) throw new Error(`no ${what} drawn by plotly.js after Run All (drawn: ${kinds.join(', ')})`);
    }
    if (kindErrors > 0) throw new Error(`${kindErrors} cell(s) failed in the charts notebook`);
    if (plotlyFetches !== 1) throw new Error(`plotly.js was fetched ${plotlyFetches} times in the charts notebook, not once`);
    if (foreign.length > 0) throw new Error('requests left the local server: ' + foreign.slice(0, 3).join(', '));
  } finally {
    await browser.close();
  }
})().catch(e => { console.error('browser test failed: ' + e.message); process.exit(1); });
