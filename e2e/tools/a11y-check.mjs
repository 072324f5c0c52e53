#!/usr/bin/env node
// a11y-check.mjs - accessibility check of web pages served on loopback.
//
// Loads each URL in headless Chromium (driven by playwright-core), injects
// axe-core into the page and reports WCAG 2.0/2.1 level A and AA violations.
// Exits 0 when no page has a violation, 1 when any has, 2 on a usage error or
// when a page could not be checked (load failure, HTTP status >= 400, ...).
//
// Usage:
//   node a11y-check.mjs [options] URL...
// Options:
//   --screenshot DIR   save a full-page PNG of every URL into DIR
//   --json FILE        write the full machine-readable results to FILE
//   --tags LIST        axe rule tags (default wcag2a,wcag2aa,wcag21a,wcag21aa)
//   --wait-until EV    load | domcontentloaded | networkidle (default load)
//   --timeout MS       navigation timeout per page (default 30000)
//   --viewport WxH     viewport size (default 1280x800)
//   --chromium PATH    browser binary (default $CHROMIUM_PATH or /usr/bin/chromium)
//   -h, --help         this text
//
// Only loopback URLs (localhost, 127.0.0.0/8, [::1]) are accepted, and any
// request a page makes to another host is aborted and listed in the report.
//
// Dependencies (npm): playwright-core, axe-core. They are looked up in the
// directories named by NODE_PATH (colon-separated; each either a node_modules
// directory or a directory containing one), then next to this script, then in
// the current directory. So the script itself may live in a read-only folder:
//   cp package.json package-lock.json "$DEPS"/ && (cd "$DEPS" && npm ci --ignore-scripts)
//   NODE_PATH="$DEPS/node_modules" node a11y-check.mjs http://127.0.0.1:8080/

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const HELP = fs.readFileSync(fileURLToPath(import.meta.url), 'utf8')
  .split('\n').slice(1).filter((l) => l.startsWith('//')).map((l) => l.replace(/^\/\/ ?/, ''))
  .join('\n').split('\nDependencies')[0];

const DEFAULT_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--no-proxy-server',
  // Belt and braces: no host name outside loopback resolves inside the browser,
  // so nothing (prefetch, preconnect, ...) can reach another machine by name.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE *.localhost, EXCLUDE 127.*, EXCLUDE ::1',
];

function die(msg, code = 2) {
  console.error(`a11y-check: ${msg}`);
  process.exit(code);
}

function parseArgs(argv) {
  const opts = {
    screenshotDir: null, jsonFile: null, tags: DEFAULT_TAGS, waitUntil: 'load',
    timeout: 30000, viewport: { width: 1280, height: 800 },
    chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium', urls: [],
  };
  const need = (i, name) => {
    if (i + 1 >= argv.length) die(`${name} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '-h': case '--help': console.log(HELP); process.exit(0); break;
      case '--screenshot': opts.screenshotDir = need(i, a); i++; break;
      case '--json': opts.jsonFile = need(i, a); i++; break;
      case '--tags': opts.tags = need(i, a).split(',').map((s) => s.trim()).filter(Boolean); i++; break;
      case '--wait-until': opts.waitUntil = need(i, a); i++; break;
      case '--timeout': opts.timeout = Number(need(i, a)); i++; break;
      case '--chromium': opts.chromium = need(i, a); i++; break;
      case '--viewport': {
        const m = /^(\d+)x(\d+)$/.exec(need(i, a));
        if (!m) die('--viewport wants WIDTHxHEIGHT, e.g. 1280x800');
        opts.viewport = { width: Number(m[1]), height: Number(m[2]) };
        i++; break;
      }
      default:
        if (a.startsWith('-')) die(`unknown option ${a} (try --help)`);
        opts.urls.push(a);
    }
  }
  if (!['load', 'domcontentloaded', 'networkidle', 'commit'].includes(opts.waitUntil)) {
    die(`bad --wait-until ${opts.waitUntil}`);
  }
  if (!Number.isFinite(opts.timeout) || opts.timeout <= 0) die('bad --timeout');
  if (opts.urls.length === 0) die('no URL given (try --help)');
  return opts;
}

function isLoopbackHost(hostname) {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return Boolean(m && Number(m[1]) === 127 && m.slice(2).every((x) => Number(x) <= 255));
}

// True for requests that stay on this machine (or never touch the network).
function isAllowedRequest(url) {
  let u;
  try { u = new URL(url); } catch { return false; }
  if (['data:', 'blob:', 'about:'].includes(u.protocol)) return true;
  if (['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol)) return isLoopbackHost(u.hostname);
  return false;
}

function loadDeps() {
  const require = createRequire(import.meta.url);
  const scriptDir = path.dirname(fileURLToPath(import.meta.url));
  const paths = [];
  for (const p of (process.env.NODE_PATH || '').split(path.delimiter).filter(Boolean)) {
    // Accept both ".../node_modules" and the directory that holds it.
    paths.push(path.basename(p) === 'node_modules' ? path.dirname(p) : p, p);
  }
  paths.push(scriptDir, process.cwd());
  const resolve = (id) => {
    try { return require.resolve(id, { paths }); } catch {
      die(`cannot find npm package for '${id}'. Install the dependencies (npm ci) into a writable `
        + 'directory and point NODE_PATH at its node_modules (see README.md).');
    }
    return null;
  };
  const { chromium } = require(resolve('playwright-core'));
  const axeSource = fs.readFileSync(resolve('axe-core/axe.min.js'), 'utf8');
  const axeVersion = JSON.parse(fs.readFileSync(resolve('axe-core/package.json'), 'utf8')).version;
  return { chromium, axeSource, axeVersion };
}

function screenshotName(url, index) {
  const u = new URL(url);
  const base = `${u.host}${u.pathname}${u.search}`.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '');
  return `${String(index + 1).padStart(2, '0')}-${(base || 'page').slice(0, 120)}.png`;
}

function oneLine(s, max = 160) {
  // eslint-disable-next-line no-control-regex
  const t = String(s ?? '').replace(/\x1b\[[0-9;]*m/g, '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

async function checkPage(context, url, opts, axeSource, index) {
  const result = { url, status: null, error: null, violations: [], incomplete: [], blocked: [], screenshot: null };
  const page = await context.newPage();
  // Koalicja: pages behind sign-in are checked with the session cookie in E2E_COOKIE.
  if (process.env.E2E_COOKIE) await page.setExtraHTTPHeaders({ cookie: process.env.E2E_COOKIE });
  page.on('pageerror', (e) => { result.pageErrors = [...(result.pageErrors || []), String(e.message || e)]; });
  try {
    const resp = await page.goto(url, { waitUntil: opts.waitUntil, timeout: opts.timeout });
    result.status = resp ? resp.status() : null;
    if (opts.screenshotDir) {
      const file = path.join(opts.screenshotDir, screenshotName(url, index));
      await page.screenshot({ path: file, fullPage: true });
      result.screenshot = file;
    }
    if (result.status !== null && result.status >= 400) {
      result.error = `HTTP status ${result.status}`;
      return result;
    }
    // Inject axe into every frame (cross-frame checks need it everywhere).
    for (const frame of page.frames()) {
      try { await frame.evaluate(axeSource); } catch (e) {
        if (frame === page.mainFrame()) throw e;
      }
    }
    const axeResults = await page.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations', 'incomplete'],
      });
      const slim = (list) => list.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
        nodes: v.nodes.map((n) => ({
          target: n.target, html: n.html, failureSummary: n.failureSummary,
        })),
      }));
      return { violations: slim(r.violations), incomplete: slim(r.incomplete) };
    }, opts.tags);
    result.violations = axeResults.violations;
    result.incomplete = axeResults.incomplete;
  } catch (e) {
    result.error = oneLine(e.message || e, 400);
  } finally {
    await page.close().catch(() => {});
  }
  return result;
}

function printReport(r) {
  const head = r.error ? 'ERROR' : (r.violations.length ? 'FAIL' : 'PASS');
  console.log(`\n== ${head}  ${r.url}${r.status !== null ? `  (HTTP ${r.status})` : ''}`);
  if (r.error) console.log(`   error: ${r.error}`);
  if (r.screenshot) console.log(`   screenshot: ${r.screenshot}`);
  for (const b of r.blocked) console.log(`   blocked non-loopback request: ${b}`);
  for (const e of r.pageErrors || []) console.log(`   page script error: ${oneLine(e)}`);
  for (const v of r.violations) {
    console.log(`   [${v.impact || 'n/a'}] ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'})`);
    console.log(`      rule: ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 10)) {
      console.log(`      - ${n.target.join(' ')}  ${oneLine(n.html, 120)}`);
      const firstFix = (n.failureSummary || '').split('\n').find((l) => l.trim() && !/^Fix (any|all)/.test(l.trim()));
      if (firstFix) console.log(`          ${oneLine(firstFix, 150)}`);
    }
    if (v.nodes.length > 10) console.log(`      ... and ${v.nodes.length - 10} more`);
  }
  if (r.incomplete.length) {
    console.log(`   needs manual review (not counted as failures): ${r.incomplete.map((v) => `${v.id}(${v.nodes.length})`).join(', ')}`);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  for (const u of opts.urls) {
    let parsed;
    try { parsed = new URL(u); } catch { die(`not a URL: ${u}`); }
    if (!['http:', 'https:'].includes(parsed.protocol)) die(`only http(s) URLs are supported: ${u}`);
    if (!isLoopbackHost(parsed.hostname)) die(`refusing non-loopback URL: ${u}`);
  }
  if (!fs.existsSync(opts.chromium)) {
    die(`browser not found at ${opts.chromium} (apt-get install -y chromium, or set CHROMIUM_PATH / --chromium)`);
  }
  if (opts.screenshotDir) fs.mkdirSync(opts.screenshotDir, { recursive: true });

  const { chromium, axeSource, axeVersion } = loadDeps();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'a11y-check-profile-'));
  let context;
  const results = [];
  const blocked = [];
  let stopping = false;
  const removeProfile = () => {
    try { fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); } catch { /* best effort */ }
  };
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.once(sig, async () => {
      stopping = true;
      console.error(`a11y-check: ${sig}, closing the browser`);
      if (context) await context.close().catch(() => {});
      removeProfile();
      process.exit(code);
    });
  }
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: opts.chromium,
      headless: true,
      chromiumSandbox: false,
      args: BROWSER_ARGS,
      viewport: opts.viewport,
      bypassCSP: true,
      serviceWorkers: 'block',
      timeout: 60000,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    // Abort every request that would leave this machine; list it in the report.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isAllowedRequest(url)) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    console.log(`a11y-check: axe-core ${axeVersion}, tags ${opts.tags.join(',')}, browser ${context.browser()?.version() ?? '?'}`);
    for (let i = 0; i < opts.urls.length && !stopping; i++) {
      blocked.length = 0;
      const r = await checkPage(context, opts.urls[i], opts, axeSource, i);
      if (stopping) break;
      r.blocked = [...new Set(blocked)];
      results.push(r);
      printReport(r);
    }
  } finally {
    if (!stopping) {
      if (context) await context.close().catch(() => {});
      removeProfile();
    }
  }
  if (stopping) return;

  const failed = results.filter((r) => r.violations.length).length;
  const errored = results.filter((r) => r.error).length;
  const totalViolations = results.reduce((n, r) => n + r.violations.length, 0);
  const totalNodes = results.reduce((n, r) => n + r.violations.reduce((m, v) => m + v.nodes.length, 0), 0);
  if (opts.jsonFile) {
    fs.writeFileSync(opts.jsonFile, `${JSON.stringify({ axeVersion, tags: opts.tags, results }, null, 2)}\n`);
  }
  const clean = results.filter((r) => !r.error && !r.violations.length).length;
  console.log(`\nSummary: ${results.length} page(s), ${clean} clean, `
    + `${failed} with violations (${totalViolations} rule(s), ${totalNodes} element(s)), ${errored} not checked`);
  process.exitCode = errored ? 2 : (failed ? 1 : 0);
}

main().catch((e) => {
  console.error(`a11y-check: ${e && e.stack ? e.stack : e}`);
  process.exit(2);
});
