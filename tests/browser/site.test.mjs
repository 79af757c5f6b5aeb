// Browser tests of the built site: Playwright (playwright-core) driving Debian's Chromium.
//
// Run by tests/test_browser.py (so `make test` runs them) with FIELDNOTES_SITE set to a freshly
// built HTML output directory; the site is served from 127.0.0.1 by a tiny static server here.
// Nothing is downloaded: the browser is /usr/bin/chromium (or FIELDNOTES_CHROMIUM), installed by
// the Makefile's bootstrap, and axe-core is injected from node_modules.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { extname, join, normalize, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const SITE = process.env.FIELDNOTES_SITE;
const BROWSER = process.env.FIELDNOTES_CHROMIUM || "/usr/bin/chromium";
const AXE = require.resolve("axe-core/axe.min.js");
const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".xml": "application/atom+xml", ".json": "application/json", ".svg": "image/svg+xml",
  ".png": "image/png", ".woff2": "font/woff2", ".txt": "text/plain; charset=utf-8",
};
const ALL = "/source/all-projects.html";
const HOME = "/source/index.html";

let server, browser, base;

function serve(root) {
  return createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    response.end(readFileSync(file));
  });
}

before(async () => {
  assert.ok(SITE && existsSync(join(SITE, "source", "all-projects.html")),
    `FIELDNOTES_SITE must name a built HTML site (got ${SITE}); run through tests/test_browser.py`);
  assert.ok(existsSync(BROWSER),
    `${BROWSER} is missing: install Debian's chromium (make test does: apt-get install -y chromium)`);
  server = serve(resolve(SITE));
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${server.address().port}`;
  // Playwright starts Chromium with a fresh, empty --user-data-dir of its own.
  browser = await chromium.launch({
    executablePath: BROWSER,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done()));
});

async function open(path, options = {}) {
  const context = await browser.newContext(options);
  // No network beyond the test server: anything else is a bug (a CDN, a font service).
  const foreign = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith("data:")) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(base + path);
  return { page, context, errors, foreign };
}

/** The rows of the filterable table that are shown: their data, in order. */
function visibleRows(page) {
  return page.$$eval("table.fieldnotes-filterable tbody tr", (rows) =>
    rows.filter((row) => !row.hidden && row.offsetParent !== null).map((row) => ({
      name: row.dataset.name, category: row.dataset.category, status: row.dataset.status,
      date: row.dataset.date, year: row.dataset.year,
    })));
}

async function filterForm(page) {
  const form = page.getByRole("search", { name: "Filter and sort projects" });
  await form.waitFor();
  return form;
}

describe("All projects: filter and sort", () => {
  test("without JavaScript the full table is there and no controls are", async () => {
    const { page, context } = await open(ALL, { javaScriptEnabled: false });
    const rows = await page.locator("table.fieldnotes-filterable tbody tr").count();
    const json = JSON.parse(readFileSync(join(SITE, "fieldnotes.json"), "utf-8"));
    assert.equal(rows, json.projects.length);
    assert.equal(await page.locator("form.fieldnotes-filter").count(), 0);
    await context.close();
  });

  test("the category filter narrows the table to that category", async () => {
    const { page, context, errors, foreign } = await open(ALL);
    const form = await filterForm(page);
    const all = await visibleRows(page);
    assert.ok(all.length > 5, `expected many projects, saw ${all.length}`);
    await form.getByLabel("Category").selectOption("Networking");
    const rows = await visibleRows(page);
    assert.ok(rows.length > 0 && rows.length < all.length, `${rows.length} of ${all.length}`);
    assert.deepEqual([...new Set(rows.map((r) => r.category))], ["Networking"]);
    assert.equal(rows.length, all.filter((r) => r.category === "Networking").length);
    assert.match(await page.getByRole("status").textContent(),
      new RegExp(`Showing ${rows.length} of ${all.length} projects`));
    assert.match(page.url(), /[?&]category=Networking/);
    assert.deepEqual(errors, []);
    assert.deepEqual(foreign, []);
    await context.close();
  });

  test("text, status and year filters combine; 'Show all' restores every row", async () => {
    const { page, context } = await open(ALL);
    const form = await filterForm(page);
    const all = await visibleRows(page);
    await form.getByLabel("Search").fill("multus");
    assert.deepEqual((await visibleRows(page)).map((r) => r.name), ["multus-cni"]);
    await form.getByLabel("Search").fill("");
    await form.getByLabel("Status").selectOption("deprecated");
    const deprecated = await visibleRows(page);
    assert.ok(deprecated.length >= 1);
    assert.ok(deprecated.every((r) => r.status === "deprecated"));
    await form.getByLabel("Status").selectOption("");
    await form.getByLabel("Year").selectOption("2018");
    const year = await visibleRows(page);
    assert.ok(year.length > 0 && year.length < all.length);
    assert.ok(year.every((r) => r.date.startsWith("2018-")));
    await form.getByLabel("Search").fill("no-such-project-anywhere");
    assert.equal((await visibleRows(page)).length, 0);
    assert.match(await page.getByRole("status").textContent(), /No project matches/);
    await form.getByRole("button", { name: "Show all" }).click();
    await page.getByRole("status").filter({ hasText: `Showing all ${all.length} projects` }).waitFor();
    assert.equal((await visibleRows(page)).length, all.length);
    await context.close();
  });

  test("a filtered view can be linked to (query string)", async () => {
    const { page, context } = await open(`${ALL}?category=Networking&sort=date-desc`);
    const form = await filterForm(page);
    assert.equal(await form.getByLabel("Category").inputValue(), "Networking");
    const rows = await visibleRows(page);
    assert.ok(rows.length > 0 && rows.every((r) => r.category === "Networking"));
    await context.close();
  });

  test("sorting by date and by name orders the rows", async () => {
    const { page, context } = await open(ALL);
    const form = await filterForm(page);
    await form.getByLabel("Sort by").selectOption("date-desc");
    let rows = await visibleRows(page);
    const dated = rows.filter((r) => r.year);
    assert.ok(dated.length > 5);
    assert.deepEqual(dated.map((r) => r.date), dated.map((r) => r.date).sort().reverse());
    // undated notes come last
    assert.deepEqual(rows.slice(0, dated.length), dated);
    await form.getByLabel("Sort by").selectOption("date");
    rows = await visibleRows(page);
    const ascending = rows.filter((r) => r.year).map((r) => r.date);
    assert.deepEqual(ascending, [...ascending].sort());
    await form.getByLabel("Sort by").selectOption("name-desc");
    const names = (await visibleRows(page)).map((r) => r.name);
    const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
    assert.deepEqual(names, [...names].sort(collator.compare).reverse());
    assert.notDeepEqual(names, [...names].sort(collator.compare));
    await context.close();
  });

  test("a row's link reaches the entry's anchor", async () => {
    const { page, context } = await open(ALL);
    const form = await filterForm(page);
    await form.getByLabel("Search").fill("multus-cni");
    await page.locator("table.fieldnotes-filterable tbody tr:not([hidden])")
      .getByRole("link", { name: "multus-cni" }).click();
    await page.waitForURL(/\/source\/networking\.html#multus-cni$/);
    const target = await page.evaluate(() => {
      const node = document.querySelector(":target");
      const box = node.getBoundingClientRect();
      return { id: node.id, heading: node.querySelector("h1, h2, h3").textContent,
        inView: box.top >= -1 && box.top < window.innerHeight };
    });
    assert.equal(target.id, "multus-cni");
    assert.match(target.heading, /multus-cni/);
    assert.ok(target.inView, "the entry is scrolled into view");
    // The entry links to its update and shows its stale mark (notes from 2018, built later).
    const summary = page.locator("#multus-cni .fieldnotes-summary").first();
    await summary.getByRole("link", { name: "2018-12-13" }).click();
    await page.waitForURL(/#multus-cni-update-2018-12-13$/);
    assert.equal(await summary.locator(".fieldnotes-stale").count(), 1);
    await context.close();
  });
});

describe("Atom feed", () => {
  test("every page links the feed, which parses as an Atom document", async () => {
    const { page, context } = await open(HOME);
    const feed = await page.evaluate(async () => {
      const link = document.querySelector('link[rel="alternate"][type="application/atom+xml"]');
      const response = await fetch(link.href);
      const xml = new DOMParser().parseFromString(await response.text(), "application/xml");
      const atom = "http://www.w3.org/2005/Atom";
      const entries = [...xml.getElementsByTagNameNS(atom, "entry")];
      return {
        href: link.href, status: response.status,
        error: xml.getElementsByTagName("parsererror").length,
        root: xml.documentElement.localName, ns: xml.documentElement.namespaceURI,
        entries: entries.length,
        complete: entries.every((e) => ["id", "title", "updated"].every(
          (tag) => e.getElementsByTagNameNS(atom, tag).length === 1)),
        firstLink: entries[0]?.getElementsByTagNameNS(atom, "link")[0]?.getAttribute("href"),
      };
    });
    assert.equal(feed.href, `${base}/feed.xml`);
    assert.equal(feed.status, 200);
    assert.equal(feed.error, 0);
    assert.equal(feed.root, "feed");
    assert.equal(feed.ns, "http://www.w3.org/2005/Atom");
    assert.ok(feed.entries > 5);
    assert.ok(feed.complete);
    // The newest entry's link reaches its anchor.
    await page.goto(new URL(feed.firstLink, feed.href).href);
    const [, anchor] = feed.firstLink.split("#");
    assert.equal(await page.evaluate(() => document.querySelector(":target")?.id), anchor);
    await context.close();
  });
});

describe("Home page", () => {
  test("shows counts by category and status, latest updates and top TODOs", async () => {
    const { page, context } = await open(HOME);
    const json = JSON.parse(readFileSync(join(SITE, "fieldnotes.json"), "utf-8"));
    const networking = json.projects.filter((p) => p.category === "Networking").length;
    const row = page.locator("table.fieldnotes-overview-categories tr", { hasText: "Networking" });
    assert.equal((await row.locator("td").last().textContent()).trim(), String(networking));
    assert.ok(await page.locator("table.fieldnotes-overview-statuses tbody tr").count() >= 1);
    assert.ok(await page.locator("table.fieldnotes-overview-latest tbody tr").count() >= 1);
    const first = json.todos.map((t) => t.priority).sort()[0];
    const priorities = await page.locator("table.fieldnotes-overview-todos tbody tr td:nth-child(2)")
      .allTextContents();
    assert.equal(priorities[0].trim(), first);
    await context.close();
  });
});

describe("Accessibility (axe-core)", () => {
  for (const [name, path] of [["home page", HOME], ["All projects page", ALL],
    ["Networking page (project entries)", "/source/networking.html"]]) {
    test(`the ${name} has no serious or critical violations`, async () => {
      const { page, context } = await open(path);
      if (path === ALL) await filterForm(page);
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate(async () => {
        const { violations, passes } = await window.axe.run(document, {
          resultTypes: ["violations"],
        });
        return {
          passes: passes.length,
          violations: violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
          })),
        };
      });
      const serious = result.violations.filter((v) => ["serious", "critical"].includes(v.impact));
      console.log(`axe ${name}: ${result.violations.length} violations ` +
        `(${serious.length} serious or critical): ` +
        JSON.stringify(result.violations.map((v) => `${v.id}:${v.impact}`)));
      assert.deepEqual(serious, [], JSON.stringify(serious, null, 2));
      await context.close();
    });
  }
});
