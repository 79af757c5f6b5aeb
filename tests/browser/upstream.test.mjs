// The project index's "archived upstream" check box, in Debian's Chromium (Playwright).
//
// Run by tests/test_upstream_build.py with FIELDNOTES_SITE set to a small site built with an
// upstream snapshot in which exactly FIELDNOTES_ARCHIVED (comma-separated names) are archived.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { join, normalize, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

const SITE = resolve(process.env.FIELDNOTES_SITE || ".");
const ARCHIVED = (process.env.FIELDNOTES_ARCHIVED || "").split(",").filter(Boolean);
const BROWSER = process.env.FIELDNOTES_CHROMIUM || "/usr/bin/chromium";
let server, browser, base;

before(async () => {
  assert.ok(existsSync(join(SITE, "index.html")), `no built site at ${SITE}`);
  server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname);
    const file = normalize(join(SITE, path));
    if (!file.startsWith(SITE + sep) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    const type = file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css"
      : "text/html; charset=utf-8";
    response.writeHead(200, { "content-type": type }).end(readFileSync(file));
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: BROWSER,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done()));
});

async function open(query = "", options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(`${base}/index.html${query}`);
  return { page, context, errors };
}

const visibleNames = (page) => page.$$eval("table.fieldnotes-filterable tbody tr",
  (rows) => rows.filter((row) => !row.hidden)
    .map((row) => row.querySelector("td.fieldnotes-name a").textContent));

test("the check box shows only the projects archived upstream, and can be linked to", async () => {
  const { page, context, errors } = await open();
  const form = page.getByRole("search", { name: "Filter and sort projects" });
  await form.waitFor();
  const all = await visibleNames(page);
  assert.ok(all.length > ARCHIVED.length && ARCHIVED.length > 0, `${all}`);
  const box = form.getByLabel("archived upstream");
  await box.check();
  assert.deepEqual((await visibleNames(page)).sort(), [...ARCHIVED].sort());
  assert.match(page.url(), /[?&]archived=1/);
  assert.match(await page.getByRole("status").textContent(),
    new RegExp(`Showing ${ARCHIVED.length} of ${all.length} projects`));
  await box.uncheck();
  assert.deepEqual(await visibleNames(page), all);
  assert.doesNotMatch(page.url(), /archived=/);
  await context.close();

  const linked = await open("?archived=1");
  await linked.page.getByRole("search", { name: "Filter and sort projects" }).waitFor();
  assert.ok(await linked.page.getByLabel("archived upstream").isChecked());
  assert.deepEqual((await visibleNames(linked.page)).sort(), [...ARCHIVED].sort());
  await linked.page.getByRole("button", { name: "Show all" }).click();
  await linked.page.waitForFunction(
    (n) => [...document.querySelectorAll("table.fieldnotes-filterable tbody tr")]
      .filter((row) => !row.hidden).length === n, all.length);
  assert.equal(await linked.page.getByLabel("archived upstream").isChecked(), false);
  await linked.context.close();
  assert.deepEqual(errors.concat(linked.errors), []);
});

test("without JavaScript every row is there, the archived ones marked in their name cell",
  async () => {
    const { page, context } = await open("", { javaScriptEnabled: false });
    assert.equal(await page.locator("form.fieldnotes-filter").count(), 0);
    const marked = await page.$$eval(
      "table.fieldnotes-filterable td.fieldnotes-name .fieldnotes-archived-upstream",
      (marks) => marks.map((mark) => mark.closest("td").querySelector("a").textContent));
    assert.deepEqual(marked.sort(), [...ARCHIVED].sort());
    await context.close();
  });
