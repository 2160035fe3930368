// A student's first minute, in a real browser. Charts are outputs of MIME type application/vnd.plotly.v1+json (with
// their picture as image/png), drawn by the jupyterlab-plotly extension the plotly package installs — in trusted and
// untrusted notebooks alike. For an untrusted copy of lesson 1, then a trusted one, and a notebook with a chart of
// each kind the lessons draw (never trusted): on open every chart shows (plotly's renderer shows the saved picture
// first) and, hovered, plotly.js draws it — the plotly DOM is there, hovering a point shows its value, a drag zooms
// (the axis range changes). In the trusted lesson the status bar shows the kernel Idle and the lesson unmodified
// before anything runs; then Run → Run All Cells: tables and charts drawn again, no cell failed. Throughout, nothing
// is fetched from anywhere but the local server.
// Usage: node browser.js UNTRUSTED_URL TRUSTED_URL SCREENSHOT CHARTS_URL CHARTS_SCREENSHOT (the untrusted lesson as
// it opens goes beside SCREENSHOT, as *-untrusted-on-open.png)
const { chromium } = require('playwright-core');

const [untrustedUrl, trustedUrl, screenshot, chartsUrl, chartsScreenshot] = process.argv.slice(2);
const origin = new URL(untrustedUrl).origin;
const CHART = '.jp-RenderedPlotly';

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

/** Every chart of the page: scrolled to (JupyterLab renders lazily), its saved picture seen, then hovered so that
 * plotly.js draws it. Returns {charts, pictures, drawn, kinds} — kinds being each plot's trace types (and " (log)"). */
async function drawAll(page, what) {
  try {
    await page.waitForSelector(CHART, { timeout: 60000 });
  } catch (e) {
    throw new Error(`${what}: no chart was rendered by plotly's renderer (no ${CHART})`);
  }
  // let lazily rendered cells appear: scroll the notebook to its end and back
  await page.evaluate(async () => {
    const panel = document.querySelector('.jp-WindowedPanel-outer') || document.querySelector('.jp-Notebook');
    for (let y = 0; y <= panel.scrollHeight; y += 600) { panel.scrollTop = y; await new Promise(r => setTimeout(r, 150)); }
    panel.scrollTop = 0;
  });
  const charts = await page.locator(CHART).count();
  let pictures = 0;
  for (let i = 0; i < charts; i++) {
    const chart = page.locator(CHART).nth(i);
    await chart.scrollIntoViewIfNeeded();
    const img = chart.locator('img.plot-img');
    // the saved picture, shown until the pointer enters it (it may have entered already while scrolling)
    const picture = await img.count() && await img.evaluate(e => e.complete && e.naturalWidth > 0);
    if (picture) pictures++;
    if (!await chart.locator('.plot-container').count()) {
      await page.mouse.move(0, 0);
      await img.hover({ force: true, timeout: 10000 }).catch(() => {});
    }
    try {
      await chart.locator('.plot-container .main-svg').first().waitFor({ timeout: 30000 });
    } catch (e) {
      throw new Error(`${what}: chart ${i} was not drawn by plotly.js when hovered`);
    }
  }
  const kinds = await page.locator(CHART).evaluateAll(plots => plots
    .filter(p => p.querySelector('svg.main-svg') && p._fullData)
    .map(p => p._fullData.map(t => t.type).join('+')
      + (Object.keys(p._fullLayout).some(k => /^[xy]axis\d*$/.test(k) && p._fullLayout[k].type === 'log') ? ' (log)' : '')));
  return { charts, pictures, drawn: kinds.length, kinds };
}

/** Hover a data point of the first drawn chart (its value shows) and drag across it (the x range changes). */
async function interact(page, what) {
  const chart = page.locator(CHART).filter({ has: page.locator('.main-svg') }).first();
  await chart.scrollIntoViewIfNeeded();
  const at = await chart.evaluate(gd => {
    const fl = gd._fullLayout;
    const t = gd._fullData[0];
    const xa = fl[(t.xaxis || 'x').replace('x', 'xaxis')];
    const ya = fl[(t.yaxis || 'y').replace('y', 'yaxis')];
    const box = gd.querySelector('.main-svg').getBoundingClientRect();
    let i = 0;
    if (t.type !== 'heatmap') while (i < t.y.length && !(Number.isFinite(t.y[i]) && Number.isFinite(t.x[i]))) i++;
    const px = t.type === 'heatmap' ? xa._offset + xa._length / 2 : xa._offset + xa.c2p(t.x[i]);
    const py = t.type === 'heatmap' ? ya._offset + ya._length / 2 : ya._offset + ya.c2p(t.y[i]);
    return { x: box.left + px, y: box.top + py, x0: box.left + xa._offset, y0: box.top + ya._offset,
             w: xa._length, h: ya._length, range: xa.range.slice(), title: fl.title && fl.title.text };
  });
  await page.mouse.move(at.x - 3, at.y - 3);
  await page.mouse.move(at.x, at.y, { steps: 4 });
  try {
    await chart.locator('.hoverlayer .hovertext').first().waitFor({ timeout: 10000 });
  } catch (e) {
    throw new Error(`${what}: hovering a point of "${at.title}" showed no value`);
  }
  await page.mouse.move(at.x0 + at.w * 0.3, at.y0 + at.h * 0.3);
  await page.mouse.down();
  await page.mouse.move(at.x0 + at.w * 0.6, at.y0 + at.h * 0.7, { steps: 8 });
  await page.mouse.up();
  await page.waitForTimeout(800);
  const after = await chart.evaluate(gd => {
    const t = gd._fullData[0];
    return gd._fullLayout[(t.xaxis || 'x').replace('x', 'xaxis')].range.slice();
  });
  if (JSON.stringify(after) === JSON.stringify(at.range)) {
    throw new Error(`${what}: dragging across "${at.title}" did not zoom (x range stayed ${JSON.stringify(at.range)})`);
  }
  return `hover shows a value, a drag zooms x from [${at.range.map(v => +v.toPrecision(3))}] to [${after.map(v => +v.toPrecision(3))}]`;
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
        if (!r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
        if (r.url().includes('/lab/extensions/jupyterlab-plotly/static/')) plotlyFetches++;
      });
      return p;
    };

    // an untrusted copy: the plotly renderer is "safe", so trust does not matter
    let page = await newPage();
    await open(page, untrustedUrl);
    await page.waitForSelector(`${CHART} img.plot-img`, { timeout: 60000 }).catch(() => {});
    await page.waitForTimeout(1500);
    await page.screenshot({ path: screenshot.replace(/\.png$/, '-untrusted-on-open.png') });
    const untrusted = await drawAll(page, 'untrusted lesson');
    const untrustedUse = await interact(page, 'untrusted lesson');
    const dirtyAfterHover = await page.locator('.lm-TabBar-tab.jp-mod-dirty').count();
    console.log(`browser: untrusted copy of lesson 1: ${untrusted.charts} charts, ${untrusted.pictures} shown as their `
      + `saved picture on open, ${untrusted.drawn} drawn by plotly.js when hovered (${untrusted.kinds.join(', ')}); `
      + `${untrustedUse}; lesson marked modified after hovering: ${dirtyAfterHover > 0 ? 'yes' : 'no'}`);
    if (untrusted.charts < 4 || untrusted.drawn < untrusted.charts) {
      throw new Error(`the untrusted copy drew ${untrusted.drawn} of ${untrusted.charts} charts (lesson 1 has 4)`);
    }

    // a trusted copy, alone in a fresh page: kernel Idle and the lesson unmodified before anything runs
    await page.close();
    page = await newPage();
    await open(page, trustedUrl);
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
    const trusted = await drawAll(page, 'trusted lesson');
    if (trusted.drawn < trusted.charts || trusted.charts !== untrusted.charts) {
      throw new Error(`the trusted lesson drew ${trusted.drawn} of ${trusted.charts} charts`);
    }

    await runAll(page);
    const after = await drawAll(page, 'lesson after Run All');
    const afterUse = await interact(page, 'lesson after Run All');
    const tables = await page.locator('.jp-OutputArea-output table').count();
    const errors = await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count();
    await page.screenshot({ path: screenshot });
    console.log(`browser: trusted lesson 1: on open kernel Idle, lesson unmodified, ${trusted.pictures} saved pictures, `
      + `${trusted.drawn} charts drawn by plotly.js when hovered; after Run All: ${after.charts} charts `
      + `(${after.drawn} drawn by plotly.js), ${afterUse}; tables ${tables}, error outputs ${errors}; `
      + `plotly's extension fetched ${plotlyFetches} file(s) from the local server; requests off the local server: ${foreign.length}`);
    if (after.charts !== untrusted.charts || after.drawn < after.charts) throw new Error('not every chart was drawn after Run All');
    if (tables === 0) throw new Error('no table was drawn after Run All');
    if (errors > 0) throw new Error(`${errors} cell(s) failed in the browser`);
    if (plotlyFetches === 0) throw new Error('plotly.js was not loaded from the jupyterlab-plotly extension');
    if (foreign.length > 0) throw new Error('requests left the local server: ' + foreign.slice(0, 3).join(', '));

    // every kind of chart, in a notebook saved by the kernel and never trusted: drawn on open, and after Run All
    await page.close();
    page = await newPage();
    await open(page, chartsUrl);
    const kindsOnOpen = await drawAll(page, 'charts notebook');
    const kindUse = await interact(page, 'charts notebook');
    // what plotly.js made of the row of heatmap panels: one colour axis, a title per panel
    const row = await page.locator(CHART).evaluateAll(plots => plots.filter(p => p._fullData
      && p._fullData.every(t => t.type === 'heatmap')).map(p => ({
        traces: p._fullData.length, coloraxis: !!p._fullLayout.coloraxis,
        panelTitles: (p._fullLayout.annotations || []).map(a => a.text), title: p._fullLayout.title.text })));
    await runAll(page);
    const kinds = await drawAll(page, 'charts notebook after Run All');
    const kindErrors = await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count();
    await page.screenshot({ path: chartsScreenshot, fullPage: true });
    console.log(`browser: every kind of chart (untrusted): on open ${kindsOnOpen.pictures} pictures, drawn when hovered: `
      + `${kindsOnOpen.kinds.join(', ')}; ${kindUse}; heatmap row: ${JSON.stringify(row)}; after Run All drawn: `
      + `${kinds.kinds.join(', ')}; requests off the local server: ${foreign.length}`);
    for (const found of [kindsOnOpen, kinds]) {
      for (const [what, test] of [['lines on log axes', k => /^scatter(\+scatter)* \(log\)$/.test(k)],
                                  ['grouped bars', k => /^bar\+bar$/.test(k)],
                                  ['heatmap panels', k => k === 'heatmap+heatmap']]) {
        if (!found.kinds.some(test)) throw new Error(`no ${what} drawn by plotly.js (drawn: ${found.kinds.join(', ')})`);
      }
    }
    if (!row.length || !row[0].coloraxis || row[0].panelTitles.length !== 2 || row[0].title !== 'Heatmap panels') {
      throw new Error('the heatmap panels were not one figure with a shared colour axis and panel titles: ' + JSON.stringify(row));
    }
    if (kindErrors > 0) throw new Error(`${kindErrors} cell(s) failed in the charts notebook`);
    if (foreign.length > 0) throw new Error('requests left the local server: ' + foreign.slice(0, 3).join(', '));
  } finally {
    await browser.close();
  }
})().catch(e => { console.error('browser test failed: ' + e.message); process.exit(1); });
