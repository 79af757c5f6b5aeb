// The filter on one part page of a listing split over several (issue 18), in Debian's Chromium.
//
// Run by tests/test_listing_pages.py with FIELDNOTES_SITE (a built site) and FIELDNOTES_PART (the
// part page, relative to it); the site is served from 127.0.0.1.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

const SITE = resolve(process.env.FIELDNOTES_SITE || "");
const PART = process.env.FIELDNOTES_PART;
const BROWSER = process.env.FIELDNOTES_CHROMIUM || "/usr/bin/chromium";
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css" };

let server, browser, base;

before(async () => {
  assert.ok(PART && existsSync(join(SITE, PART)), `FIELDNOTES_PART must name a page of ${SITE}`);
  server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname);
    let file = normalize(join(SITE, path));
    if (!file.startsWith(SITE + sep)) return response.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) return response.writeHead(404).end("not found");
    response.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    response.end(readFileSync(file));
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: BROWSER,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

function shownNames(page) {
  return page.$$eval("table.fieldnotes-filterable tbody tr", (rows) =>
    rows.filter((row) => !row.hidden).map((row) => row.querySelector("td a").textContent.trim()));
}

test("the filter narrows the rows of one part page, and 'Show all' restores them", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/${PART}`);
  const form = page.getByRole("search", { name: "Filter and sort projects" });
  await form.waitFor();
  const all = await shownNames(page);
  assert.ok(all.length > 1, `the part page shows its rows (${all.length})`);
  await page.getByRole("status").filter({ hasText: `Showing all ${all.length} projects` }).waitFor();
  await form.getByLabel("Search").fill(all[1]);
  assert.deepEqual(await shownNames(page), [all[1]]);
  await page.getByRole("status").filter({ hasText: `Showing 1 of ${all.length} projects` }).waitFor();
  await form.getByRole("button", { name: "Show all" }).click();
  await page.getByRole("status").filter({ hasText: `Showing all ${all.length} projects` }).waitFor();
  assert.deepEqual(await shownNames(page), all);
  // The navigation to the other parts is plain links.
  const others = await page.$$eval("nav.fieldnotes-listing-pages a", (links) => links.length);
  assert.ok(others >= 1);
  await page.close();
});

test("the links to the other parts carry the filter, which the next part applies", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/${PART}`);
  const form = page.getByRole("search", { name: "Filter and sort projects" });
  await form.waitFor();
  const hrefs = () => page.$$eval("nav.fieldnotes-listing-pages a", (links) =>
    links.map((link) => link.getAttribute("href")));
  const plain = await hrefs();
  assert.ok(plain.every((href) => !href.includes("?")), plain.join(" "));
  await form.getByLabel("Sort by").selectOption("name-desc");
  await form.getByLabel("Search").fill("proj");
  const carried = await hrefs();
  assert.deepEqual(carried, plain.map((href) => `${href}?sort=name-desc&q=proj`));
  // Follow the first link: the other part opens with the same filter and sort.
  await page.locator("nav.fieldnotes-listing-pages a").first().click();
  await page.waitForURL((url) => url.search === "?sort=name-desc&q=proj");
  const next = page.getByRole("search", { name: "Filter and sort projects" });
  await next.waitFor();
  assert.equal(await next.getByLabel("Search").inputValue(), "proj");
  assert.equal(await next.getByLabel("Sort by").inputValue(), "name-desc");
  const names = await shownNames(page);
  assert.deepEqual(names, [...names].sort().reverse(), "sorted Z to A");
  // "Show all" takes the query off the links again. The form's reset applies after the event
  // (the fields are cleared only then), and "proj" may already show every row, so the status
  // says nothing new: wait for the links themselves.
  await next.getByRole("button", { name: "Show all" }).click();
  await page.waitForFunction(() =>
    [...document.querySelectorAll("nav.fieldnotes-listing-pages a")]
      .every((link) => !link.getAttribute("href").includes("?")));
  assert.equal(await next.getByLabel("Search").inputValue(), "");
  assert.ok((await hrefs()).every((href) => !href.includes("?")));
  await page.close();
});
