// Browser tests of the built site: Playwright (playwright-core) driving Debian's Chromium.
//
// Run by tests/test_browser.py (so `make test` runs them) with FIELDNOTES_SITE set to a freshly
// built HTML output directory; the site is served from 127.0.0.1 by serve.mjs.
// Nothing is downloaded: the browser is /usr/bin/chromium (or FIELDNOTES_CHROMIUM), installed by
// the Makefile's bootstrap, and axe-core is injected from node_modules.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serveSite } from "./serve.mjs";

const require = createRequire(import.meta.url);
const SITE = process.env.FIELDNOTES_SITE;
// The same site built with a wider fieldnotes_recent_days (RECENT_DAYS), so "new" and "updated"
// marks appear on the map and in the listings.
const RECENT_SITE = process.env.FIELDNOTES_SITE_RECENT;
const RECENT_DAYS = Number(process.env.FIELDNOTES_RECENT_DAYS);
// The same site built with language = "de" (the filter's words come from fieldnotes' catalogue).
const GERMAN_SITE = process.env.FIELDNOTES_SITE_DE;
const TODAY = process.env.FIELDNOTES_TODAY;
// Screenshots for people to look at (structure is what the tests compare, never pixels).
const SHOTS = process.env.FIELDNOTES_SCREENSHOTS || "/tmp";
const BROWSER = process.env.FIELDNOTES_CHROMIUM || "/usr/bin/chromium";
const AXE = require.resolve("axe-core/axe.min.js");
const ALL = "/source/all-projects.html";
const HOME = "/source/index.html";

let server, recentServer, germanServer, browser, base, recentBase, germanBase;


before(async () => {
  assert.ok(SITE && existsSync(join(SITE, "source", "all-projects.html")),
    `FIELDNOTES_SITE must name a built HTML site (got ${SITE}); run through tests/test_browser.py`);
  assert.ok(existsSync(BROWSER),
    `${BROWSER} is missing: install Debian's chromium (make test does: apt-get install -y chromium)`);
  assert.ok(RECENT_SITE && existsSync(join(RECENT_SITE, "source", "index.html")) && RECENT_DAYS > 0
    && TODAY, "FIELDNOTES_SITE_RECENT, FIELDNOTES_RECENT_DAYS and FIELDNOTES_TODAY must be set");
  ({ server, base } = await serveSite(SITE));
  ({ server: recentServer, base: recentBase } = await serveSite(RECENT_SITE));
  assert.ok(GERMAN_SITE && existsSync(join(GERMAN_SITE, "source", "all-projects.html")),
    "FIELDNOTES_SITE_DE must name the German build of the site");
  ({ server: germanServer, base: germanBase } = await serveSite(GERMAN_SITE));
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
  await new Promise((done) => (recentServer ? recentServer.close(done) : done()));
  await new Promise((done) => (germanServer ? germanServer.close(done) : done()));
});

async function open(path, options = {}, site = base) {
  const context = await browser.newContext(options);
  // No network beyond the test server: anything else is a bug (a CDN, a font service).
  const foreign = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(site) || url.startsWith("data:")) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(site + path);
  return { page, context, errors, foreign };
}

/** The map as laid out: each group's heading and box, each tile's name, words, link and box. */
function mapLayout(page) {
  return page.$$eval(".fieldnotes-landscape-group", (groups) => groups.map((group) => {
    const box = (element) => {
      const r = element.getBoundingClientRect();
      return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width),
        height: Math.round(r.height) };
    };
    return {
      heading: group.querySelector("h1, h2, h3, h4, h5, h6").textContent,
      box: box(group),
      tiles: [...group.querySelectorAll("li.fieldnotes-tile")].map((tile) => ({
        name: tile.querySelector("a").textContent,
        href: tile.querySelector("a").getAttribute("href"),
        words: [...tile.querySelectorAll(".fieldnotes-tile-facts > span")].map((s) => s.textContent),
        status: tile.dataset.status, change: tile.dataset.change || "",
        box: box(tile),
      })),
    };
  }));
}

/** What a tile of *project* must say, from fieldnotes.json: status, stale, new / updated. */
function expectedWords(project, { today, staleDays = 730, recentDays = 90 }) {
  const day = (d) => (/^\d{4}-\d{2}-\d{2}$/.test(d || "") ? Date.parse(d) : null);
  const daysAgo = (n) => Date.parse(today) - n * 86400000;
  const dates = [project.date, ...project.updates.map((u) => u.date)].map(day).filter((d) => d);
  const words = project.status ? [project.status] : [];
  if (dates.length && Math.max(...dates) < daysAgo(staleDays)) words.push("stale");
  const recent = (d) => day(d) !== null && day(d) >= daysAgo(recentDays) && day(d) <= Date.parse(today);
  if (recent(project.date)) words.push("new");
  else if (project.updates.some((u) => recent(u.date))) words.push("updated");
  return words;
}

/** The colours a tile is drawn with. */
function tileColours(page) {
  return page.$eval("li.fieldnotes-tile", (tile) => {
    const style = getComputedStyle(tile);
    const name = getComputedStyle(tile.querySelector("a"));
    return { background: style.backgroundColor, text: name.color, stripe: style.borderLeftColor };
  });
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

  test("in a German build the filter speaks German, plurals included", async () => {
    const { page, context, errors, foreign } = await open(ALL, {}, germanBase);
    const form = page.getByRole("search", { name: "Projekte filtern und sortieren" });
    await form.waitFor();
    const all = await visibleRows(page);
    const status = page.getByRole("status");
    assert.equal(await status.textContent(), `Alle ${all.length} Projekte gezeigt.`);
    await form.getByLabel("Kategorie").selectOption("Security");
    const rows = await visibleRows(page);
    assert.equal(rows.length, 1, "the shipped site has one Security project");
    assert.equal(await status.textContent(), `1 von ${all.length} Projekten gezeigt.`);
    assert.equal(await form.getByRole("button").textContent(), "Alle zeigen");
    assert.deepEqual(errors, []);
    assert.deepEqual(foreign, []);
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
    // The entry's history links to its update; its summary shows the stale mark (notes from
    // 2018, built later).
    const summary = page.locator("#multus-cni .fieldnotes-summary").first();
    const history = page.locator("#multus-cni .fieldnotes-history").first();
    assert.deepEqual((await history.locator("li").allTextContents()).map((t) => t.trim()),
      ["2018-06-02 noted v0.2", "2018-12-13 updated v3.1"]);
    await history.getByRole("link", { name: "2018-12-13" }).click();
    await page.waitForURL(/#multus-cni-update-2018-12-13$/);
    assert.equal(await summary.locator(".fieldnotes-stale").count(), 1);
    await context.close();
  });
});

describe("Landscape map on the home page", () => {
  const json = () => JSON.parse(readFileSync(join(SITE, "fieldnotes.json"), "utf-8"));

  test("without JavaScript: a tile per project in its category, saying status and staleness", async () => {
    const { page, context } = await open(HOME, { javaScriptEnabled: false });
    const groups = await mapLayout(page);
    const projects = json().projects;
    const categories = [...new Set(projects.map((p) => p.category))]
      .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    assert.deepEqual(groups.map((g) => g.heading),
      categories.map((c) => `${c} (${projects.filter((p) => p.category === c).length})`));
    const tiles = groups.flatMap((g) => g.tiles);
    assert.equal(tiles.length, projects.length);
    for (const project of projects) {
      const tile = tiles.find((t) => t.name === project.name);
      assert.ok(tile, project.name);
      assert.equal(tile.href, `${project.docname.replace(/^source\//, "")}.html#${project.anchor}`);
      assert.deepEqual(tile.words, expectedWords(project, { today: TODAY }), project.name);
    }
    // The key names every status on the map and every mark.
    const key = await page.locator(".fieldnotes-landscape-key li").allTextContents();
    for (const status of new Set(projects.map((p) => p.status).filter(Boolean))) {
      assert.ok(key.includes(` ${status}`), `${status} in ${key}`);
    }
    for (const mark of ["stale", "new", "updated"]) assert.ok(key.some((k) => k.startsWith(mark)), mark);
    // A landmark with a name, and a heading per group.
    assert.equal(await page.getByRole("region", { name: "Map of projects by category" }).count(), 1);
    assert.equal(await page.getByRole("heading", { name: "Networking (5)" }).count(), 1);
    await context.close();
  });

  test("the whole tile is its project's link", async () => {
    const { page, context } = await open(HOME);
    const tile = page.locator("li.fieldnotes-tile", { hasText: "multus-cni" });
    await tile.scrollIntoViewIfNeeded();
    const box = await tile.boundingBox();
    // Click the tile's lower right corner, away from the name's text.
    await page.mouse.click(box.x + box.width - 4, box.y + box.height - 4);
    await page.waitForURL(/\/source\/networking\.html#multus-cni$/);
    assert.equal(await page.evaluate(() => document.querySelector(":target")?.id), "multus-cni");
    await context.close();
  });

  test("light and dark mode (system setting and furo's own): same layout, readable colours", async () => {
    const light = await open(HOME, { colorScheme: "light", viewport: { width: 1280, height: 900 } });
    const dark = await open(HOME, { colorScheme: "dark", viewport: { width: 1280, height: 900 } });
    assert.deepEqual(await mapLayout(dark.page), await mapLayout(light.page));
    const lightColours = await tileColours(light.page);
    const darkColours = await tileColours(dark.page);
    assert.notEqual(lightColours.background, darkColours.background);
    assert.notEqual(lightColours.text, darkColours.text);
    // furo's theme switch (body[data-theme]) wins over the system setting, both ways.
    await light.page.evaluate(() => { document.body.dataset.theme = "dark"; });
    assert.deepEqual(await tileColours(light.page), darkColours);
    await dark.page.evaluate(() => { document.body.dataset.theme = "light"; });
    assert.deepEqual(await tileColours(dark.page), lightColours);
    await light.page.evaluate(() => { document.body.dataset.theme = "light"; });
    const map = light.page.locator(".fieldnotes-landscape");
    await map.screenshot({ path: join(SHOTS, "fieldnotes-map-light.png") });
    await dark.page.evaluate(() => { document.body.dataset.theme = "dark"; });
    await dark.page.locator(".fieldnotes-landscape").screenshot({ path: join(SHOTS, "fieldnotes-map-dark.png") });
    // On a wide screen the groups sit side by side.
    const columns = new Set((await mapLayout(light.page)).map((g) => g.box.x));
    assert.ok(columns.size >= 2, `groups in ${columns.size} column(s)`);
    await light.context.close();
    await dark.context.close();
  });

  test("at phone width: one column of groups, nothing wider than the screen", async () => {
    const { page, context } = await open(HOME, { viewport: { width: 375, height: 800 }, isMobile: true });
    const groups = await mapLayout(page);
    assert.equal(new Set(groups.map((g) => g.box.x)).size, 1, "one column");
    for (const group of groups) {
      assert.ok(group.box.x >= 0 && group.box.x + group.box.width <= 375, group.heading);
      for (const tile of group.tiles) {
        assert.ok(tile.box.x >= group.box.x && tile.box.x + tile.box.width <= group.box.x + group.box.width,
          tile.name);
      }
    }
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    await page.locator(".fieldnotes-landscape").screenshot({ path: join(SHOTS, "fieldnotes-map-phone.png") });
    await page.screenshot({ path: join(SHOTS, "fieldnotes-home-phone.png") });
    await context.close();
  });

  test("prints whole tiles and keeps their colours", async () => {
    const { page, context } = await open(HOME);
    await page.emulateMedia({ media: "print" });
    const style = await page.$eval("li.fieldnotes-tile", (tile) => {
      const s = getComputedStyle(tile);
      return { breakInside: s.breakInside, colours: s.printColorAdjust };
    });
    assert.deepEqual(style, { breakInside: "avoid", colours: "exact" });
    const pdf = await page.pdf({ format: "A4" });
    assert.ok(pdf.length > 10000);
    await context.close();
  });

  test("new and updated marks follow the dates, on the map and in the listing", async () => {
    const recent = JSON.parse(readFileSync(join(RECENT_SITE, "fieldnotes.json"), "utf-8"));
    const { page, context } = await open(HOME, {}, recentBase);
    const tiles = (await mapLayout(page)).flatMap((g) => g.tiles);
    const words = (p) => expectedWords(p, { today: TODAY, recentDays: RECENT_DAYS });
    for (const project of recent.projects) {
      assert.deepEqual(tiles.find((t) => t.name === project.name).words, words(project), project.name);
    }
    const marked = recent.projects.map((p) => words(p).at(-1)).filter((w) => w === "new" || w === "updated");
    assert.ok(new Set(marked).size === 2, `both marks are exercised: ${marked}`);
    await page.locator(".fieldnotes-landscape").screenshot({ path: join(SHOTS, "fieldnotes-map-marks.png") });
    // All projects: the mark follows the name; filtering by name still reads the name alone.
    await page.goto(recentBase + ALL);
    const form = await filterForm(page);
    const rows = await visibleRows(page);
    for (const project of recent.projects) {
      const mark = words(project).filter((w) => w === "new" || w === "updated");
      const row = page.locator("table.fieldnotes-filterable tbody tr", {
        has: page.getByRole("link", { name: project.name, exact: true }) });
      assert.deepEqual((await row.locator(".fieldnotes-change").allTextContents()), mark, project.name);
    }
    assert.deepEqual(rows.map((r) => r.name).sort(), recent.projects.map((p) => p.name).sort());
    await form.getByLabel("Sort by").selectOption("name-desc");
    const names = (await visibleRows(page)).map((r) => r.name);
    const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
    assert.deepEqual(names, [...names].sort(collator.compare).reverse());
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

  test("charts notes and updates per year and projects by category, each with its numbers", async () => {
    const { page, context } = await open(HOME, { viewport: { width: 1280, height: 900 } });
    const json = JSON.parse(readFileSync(join(SITE, "fieldnotes.json"), "utf-8"));
    const years = page.getByRole("img", { name: "Notes and updates per year" });
    const categories = page.getByRole("img", { name: "Projects by category" });
    assert.equal(await years.count(), 1);
    assert.equal(await categories.count(), 1);
    // The table beside the chart holds the numbers, counted here from fieldnotes.json.
    const count = (dates) => dates.filter((d) => /^\d{4}-/.test(d || "")).reduce((found, d) => {
      found[d.slice(0, 4)] = (found[d.slice(0, 4)] || 0) + 1;
      return found;
    }, {});
    const notes = count(json.projects.map((p) => p.date));
    const updates = count(json.projects.flatMap((p) => p.updates.map((u) => u.date)));
    const rows = await page.$$eval("table.fieldnotes-overview-years tbody tr", (trs) =>
      trs.map((tr) => [...tr.cells].map((td) => td.textContent.trim())));
    const all = Object.keys({ ...notes, ...updates }).map(Number);
    const expected = [];
    for (let y = Math.min(...all); y <= Math.max(...all); y += 1) {
      expected.push([String(y), String(notes[y] || 0), String(updates[y] || 0)]);
    }
    assert.deepEqual(rows, expected);
    // The chart is drawn from the same numbers: one column per year and series, heights in ratio.
    const columns = await years.evaluate((svg) => [...svg.querySelectorAll("rect")]
      .filter((r) => r.querySelector("title"))
      .map((r) => ({ hint: r.querySelector("title").textContent, height: r.getBBox().height })));
    assert.deepEqual(columns.map((c) => c.hint),
      expected.flatMap(([y, n, u]) => [`${y}, Notes: ${n}`, `${y}, Updates: ${u}`]));
    const unit = columns.filter((c) => !c.hint.endsWith(": 0"))
      .map((c) => c.height / Number(c.hint.split(": ")[1]));
    assert.ok(unit.every((u) => Math.abs(u - unit[0]) < 0.01), JSON.stringify(unit));
    // Scaled to the page and in view of its heading; the text colour follows the theme.
    const box = await years.boundingBox();
    assert.ok(box.width > 300 && box.width <= 600, JSON.stringify(box));
    await page.locator(".fieldnotes-chart").first().screenshot({ path: join(SHOTS, "fieldnotes-chart-categories.png") });
    await page.locator(".fieldnotes-chart").nth(1).screenshot({ path: join(SHOTS, "fieldnotes-chart-years.png") });
    await context.close();
  });
});

describe("Accessibility (axe-core)", () => {
  for (const [name, path, options, site] of [
    ["home page", HOME, {}],
    ["home page in dark mode", HOME, { colorScheme: "dark" }],
    ["home page at phone width", HOME, { viewport: { width: 375, height: 800 }, isMobile: true }],
    ["home page with new and updated marks", HOME, {}, "recent"],
    ["All projects page", ALL, {}],
    ["Networking page (project entries)", "/source/networking.html", {}]]) {
    test(`the ${name} has no serious or critical violations`, async () => {
      const { page, context } = await open(path, options, site === "recent" ? recentBase : base);
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
