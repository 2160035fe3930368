// A student's first minute, in a real browser: open a lesson in JupyterLab, check that the saved charts show,
// choose Run → Run All Cells, wait for the kernel, and check that tables and charts are drawn and no cell failed.
// Usage: node browser.js URL SCREENSHOT
const { chromium } = require('playwright-core');

const [url, screenshot] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // this machine's network is closed: no background connections, no component updates
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(url);
    await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60000 });
    // JupyterLab renders cells lazily, so a busy machine may need a while before the first saved chart shows
    try {
      await page.waitForSelector('.jp-OutputArea-output img', { timeout: 60000 });
    } catch (e) {
      throw new Error('the saved notebook shows no chart when opened');
    }
    await page.waitForTimeout(2000);
    const saved = await page.locator('.jp-OutputArea-output img').count();

    await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
    await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
    // done when every code cell has an execution count and the kernel is idle
    await page.waitForFunction(() => {
      const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent);
      const idle = [...document.querySelectorAll('.jp-StatusBar-TextItem')].some(e => /Idle/.test(e.textContent));
      return prompts.length > 0 && prompts.every(t => /\[\d+\]/.test(t)) && idle;
    }, null, { timeout: 180000 });
    await page.waitForTimeout(1500);

    const images = await page.locator('.jp-OutputArea-output img').count();
    const drawn = await page.locator('.jp-OutputArea-output img').evaluateAll(
      imgs => imgs.filter(i => i.complete && i.naturalWidth > 0).length);
    const tables = await page.locator('.jp-OutputArea-output table').count();
    const errors = await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count();
    await page.screenshot({ path: screenshot });
    console.log(`browser: saved charts ${saved}; after Run All: charts ${images} (${drawn} drawn), tables ${tables}, error outputs ${errors}`);
    if (images < saved || drawn < images) throw new Error('not every chart was drawn after Run All');
    if (tables === 0) throw new Error('no table was drawn after Run All');
    if (errors > 0) throw new Error(`${errors} cell(s) failed in the browser`);
  } finally {
    await browser.close();
  }
})().catch(e => { console.error('browser test failed: ' + e.message); process.exit(1); });
