#!/usr/bin/env node
// trace-screenshot.js — a PNG of a `threadvet run --trace` file, taken with
// headless Chromium (Debian's `chromium`) through puppeteer-core.
//
//   node docs/images/trace-screenshot.js TRACE.json OUT.png [TITLE]
//
// Needs `apt-get install chromium` and puppeteer-core where node finds it
// (`npm install puppeteer-core` in a scratch directory, then
// NODE_PATH=that/node_modules). Not part of the test suite: the trace it
// shows is one the suite makes (test/lit/runtime/trace.test's deadlock).
//
// Debian's Chromium does not serve chrome://tracing headless (the page fails
// to load even with its internal pages enabled), so the trace is drawn by
// trace-view.html beside this script, which draws what the trace-event
// viewers do: a track per thread, spans, flow arrows, global instants.
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

async function main() {
  const [tracePath, out, title] = process.argv.slice(2);
  if (!tracePath || !out) {
    console.error('usage: trace-screenshot.js TRACE.json OUT.png [TITLE]');
    process.exit(2);
  }
  let trace;
  try {
    trace = JSON.parse(fs.readFileSync(tracePath, 'utf8'));
  } catch (e) {
    console.error(`trace-screenshot.js: ${tracePath}: ${e.message}`);
    process.exit(2);
  }
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    await page.goto('file://' + path.join(__dirname, 'trace-view.html'), {waitUntil: 'load'});
    const size = await page.evaluate((t, name) => render(t, name), trace,
                                     title || `threadvet run --trace: ${path.basename(tracePath)}`);
    await page.setViewport({width: size.width, height: size.height, deviceScaleFactor: 1});
    await page.screenshot({path: out, clip: {x: 0, y: 0, width: size.width, height: size.height}});
  } finally {
    await browser.close();
  }
}

main().catch(e => {
  console.error(`trace-screenshot.js: ${e.message}`);
  process.exit(1);
});
