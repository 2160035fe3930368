// Training in a real JupyterLab: run lesson 12 (two live trainings) and check that each shows one progress display
// that updates in place — its bar advancing while the cell runs, no new output per update — and ends "done".
// Usage: node progress.js LESSON_URL SCREENSHOT
const { chromium } = require('playwright-core');

const [url, screenshot] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(url + '&reset');
    await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60000 });
    await page.waitForFunction(() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]
      .some(e => /\bIdle\b/.test(e.textContent)), null, { timeout: 60000 });
    await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
    await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
    const values = new Set();
    let most = 0;
    let shot = false;
    const deadline = Date.now() + 180000;
    for (;;) {
      await page.waitForTimeout(300);
      const bars = await page.evaluate(() => [...document.querySelectorAll('.effconv-progress')].map(d => ({
        value: Number(d.querySelector('progress').value), max: Number(d.querySelector('progress').max),
        done: /\bdone/.test(d.textContent) })));
      most = Math.max(most, bars.length);
      if (bars.length) values.add(bars[0].value);
      if (!shot && bars.length && bars[0].value > 0 && !bars[0].done) {
        await page.evaluate(() => document.querySelector('.effconv-progress').scrollIntoView());
        await page.screenshot({ path: screenshot });
        shot = true;
      }
      if (bars.length === 2 && bars.every(b => b.done && b.value === b.max)) break;
      if (Date.now() > deadline) throw new Error('training did not finish in 3 minutes: ' + JSON.stringify(bars));
    }
    if (most !== 2) throw new Error(most + ' progress displays for 2 trainings: updates were appended, not in place');
    const inBetween = [...values].filter(v => v > 0);
    if (inBetween.length < 3) throw new Error('the first display showed only ' + JSON.stringify([...values])
      + ': it did not update while training ran');
    console.log('progress: 2 trainings, one display each updated in place (' + values.size
      + ' states of the first seen), both done');
  } finally {
    await browser.close();
  }
})().catch(e => { console.error('progress: ' + e.message); process.exit(1); });
