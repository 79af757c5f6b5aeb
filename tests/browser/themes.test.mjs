// fieldnotes' badges, filter form and landscape tiles in one Sphinx theme, in light and dark mode:
// axe-core's color-contrast rule over those elements, and the filter at work.
//
// Run by tests/test_themes.py, once per theme, with FIELDNOTES_THEME (the html_theme) and
// FIELDNOTES_THEME_SITE (the small site of tests/theme_site.py built with it). Served from
// 127.0.0.1; the browser is Debian's Chromium, as in site.test.mjs.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serveSite } from "./serve.mjs";

const require = createRequire(import.meta.url);
const THEME = process.env.FIELDNOTES_THEME;
const SITE = process.env.FIELDNOTES_THEME_SITE;
const BROWSER = process.env.FIELDNOTES_CHROMIUM || "/usr/bin/chromium";
const AXE = require.resolve("axe-core/axe.min.js");
// The themes with a dark mode, and where each keeps a reader's choice of it (localStorage): every
// one follows the system's preference by default. furo marks dark mode on body[data-theme],
// pydata-sphinx-theme and sphinx-book-theme on html[data-theme].
const CHOICE_KEY = { furo: "theme", pydata_sphinx_theme: "mode", sphinx_book_theme: "mode" };
const DARK = new Set(Object.keys(CHOICE_KEY));
const MODES = [
  { name: "light", colorScheme: "light", dark: false },
  ...(DARK.has(THEME) ? [
    { name: "dark (system preference)", colorScheme: "dark", dark: true },
    { name: "dark (chosen on a light system)", colorScheme: "light", choice: "dark", dark: true },
  ] : [
    // No dark mode: the page stays light on a dark system, and so must fieldnotes' colours.
    { name: "light (no dark mode, on a dark system)", colorScheme: "dark", dark: false },
  ]),
];
// What fieldnotes draws: every one is on the scanned pages, and axe checks each one's text.
const PAGES = {
  "/notes.html": [".fieldnotes-badge"],
  "/index.html": [".fieldnotes-filter", ".fieldnotes-filter-count", ".fieldnotes-landscape",
    "table.fieldnotes-filterable .fieldnotes-badge"],
};

let server, browser, base;


before(async () => {
  assert.ok(THEME && SITE && existsSync(join(SITE, "index.html")),
    `FIELDNOTES_THEME and FIELDNOTES_THEME_SITE must be set (got ${THEME}, ${SITE}); run through `
    + "tests/test_themes.py");
  ({ server, base } = await serveSite(SITE));
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

async function open(path, mode) {
  const context = await browser.newContext({ colorScheme: mode.colorScheme });
  await context.route("**/*", (route) =>
    route.request().url().startsWith(base) ? route.continue() : route.abort());
  if (mode.choice) {
    await context.addInitScript(([key, choice]) => localStorage.setItem(key, choice),
      [CHOICE_KEY[THEME], mode.choice]);
  }
  const page = await context.newPage();
  await page.goto(base + path);
  await page.waitForLoadState("load");
  return { page, context };
}

/** The WCAG relative luminance of the page's background (body's, else html's). */
function pageLuminance(page) {
  return page.evaluate(() => {
    const colour = [document.body, document.documentElement]
      .map((element) => getComputedStyle(element).backgroundColor)
      .find((value) => !/rgba\(.*, 0\)$|transparent/.test(value)) || "rgb(255, 255, 255)";
    const [r, g, b] = colour.match(/[\d.]+/g).slice(0, 3).map((c) => {
      const s = Number(c) / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  });
}

async function contrast(page, selectors) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate((include) => window.axe.run(
    { include: include.map((s) => [s]) },
    { runOnly: { type: "rule", values: ["color-contrast"] } },
  ), selectors);
}

for (const mode of MODES) {
  for (const [path, selectors] of Object.entries(PAGES)) {
    test(`${THEME}, ${mode.name}: fieldnotes' text on ${path} has enough contrast`, async () => {
      const { page, context } = await open(path, mode);
      try {
        for (const selector of selectors) {
          assert.ok(await page.locator(selector).count() > 0, `${selector} is missing on ${path}`);
        }
        // The mode took: a dark page behind the elements, or a light one.
        const luminance = await pageLuminance(page);
        assert.ok(mode.dark ? luminance < 0.1 : luminance > 0.5, `${mode.name}: ${luminance}`);
        const results = await contrast(page, selectors);
        const nodes = results.violations.flatMap((v) => v.nodes);
        const checked = results.passes.reduce((n, rule) => n + rule.nodes.length, 0);
        console.log(`# axe ${THEME} ${mode.name} ${path}: ${nodes.length} violations, `
          + `${checked} passed, ${results.incomplete.reduce((n, r) => n + r.nodes.length, 0)} `
          + "incomplete");
        assert.ok(checked > 0, "axe checked no text");
        assert.deepEqual(nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary}`), []);
      } finally {
        await context.close();
      }
    });
  }
}

test(`${THEME}: typing in the filter narrows the table to the matching rows`, async () => {
  const { page, context } = await open("/index.html", MODES[0]);
  const shown = () => page.$$eval("table.fieldnotes-filterable tbody tr",
    (rows) => rows.filter((row) => !row.hidden && row.offsetParent !== null)
      .map((row) => row.dataset.name));
  try {
    const form = page.locator("form.fieldnotes-filter");
    assert.equal((await shown()).length, 8);
    await form.getByLabel("Search").click();
    await page.keyboard.type("fla");
    assert.deepEqual(await shown(), ["flannel"]);
    await form.getByLabel("Status").selectOption("deprecated");
    assert.deepEqual(await shown(), []);
    // The form's reset applies once the controls are cleared, after the event.
    await form.getByRole("button", { name: "Show all" }).click();
    await page.waitForFunction(() => [...document.querySelectorAll(
      "table.fieldnotes-filterable tbody tr")].every((row) => !row.hidden));
    assert.equal((await shown()).length, 8);
  } finally {
    await context.close();
  }
});
