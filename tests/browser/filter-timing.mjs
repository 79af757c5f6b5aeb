// How long the project-index filter takes on pages of many rows, in Debian's Chromium (issue 18):
// the figures behind fieldnotes_listing_page_size (see the Performance page).
//
//   node tests/browser/filter-timing.mjs PAGE.html [PAGE.html ...]
//
// For each page (a file holding one `project-index` with `:filter:`): the time from navigation to
// the form being ready (parsing, layout and the script describing every row), then the median of
// five runs of each of three filters: a search that leaves one row, a year, and back to all rows.
// Each time covers the script's work and the style and layout that follow (read back through
// offsetHeight), not painting.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { chromium } from "playwright-core";

const BROWSER = process.env.FIELDNOTES_CHROMIUM || "/usr/bin/chromium";

async function timeFilter(page, field, value) {
  return page.evaluate(([field, value]) => {
    const form = document.querySelector("form.fieldnotes-filter");
    const control = form.elements[field];
    const started = performance.now();
    control.value = value;
    form.dispatchEvent(new Event(control.tagName === "SELECT" ? "change" : "input"));
    void document.body.offsetHeight; // style and layout of the rows shown or hidden
    return performance.now() - started;
  }, [field, value]);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const browser = await chromium.launch({
  executablePath: BROWSER,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
console.log("| rows | page size | ready | search, 1 row left | one year | back to all |");
console.log("|---|---|---|---|---|---|");
for (const file of process.argv.slice(2)) {
  const path = resolve(file);
  const page = await browser.newPage();
  const started = Date.now();
  await page.goto(`file://${path}`, { timeout: 180000 });
  await page.waitForSelector("table.fieldnotes-filter-ready", { timeout: 120000 });
  const ready = Date.now() - started;
  const rows = await page.$$eval("table.fieldnotes-filterable tbody tr", (r) => r.length);
  const name = await page.$eval("table.fieldnotes-filterable tbody tr:nth-child(7) td a",
    (a) => a.textContent.trim());
  const year = await page.$eval("select[name=year] option:nth-child(2)", (o) => o.value);
  const times = { search: [], year: [], all: [] };
  for (let run = 0; run < 5; run++) {
    times.search.push(await timeFilter(page, "q", name));
    await timeFilter(page, "q", "");
    times.year.push(await timeFilter(page, "year", year));
    times.all.push(await timeFilter(page, "year", ""));
  }
  const mb = (readFileSync(path).length / 1e6).toFixed(1);
  const ms = (v) => `${Math.round(v)} ms`;
  console.log(`| ${rows} | ${mb} MB | ${ms(ready)} | ${ms(median(times.search))} | ` +
    `${ms(median(times.year))} | ${ms(median(times.all))} |`);
  await page.close();
}
await browser.close();
