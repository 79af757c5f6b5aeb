/* fieldnotes: filter and sort a project index in the browser.
 *
 * Progressive enhancement of the static table written by `project-index` with `:filter:`: without
 * JavaScript the full table is there. With it, each row gets data-* attributes read from its cells,
 * and a form above the table filters rows by text, category, status and year and sorts them by name
 * or date; where the upstream snapshot marks a project "archived upstream" in its name cell, a
 * check box shows only those. The state is kept in the page's query string
 * (?q=&category=&status=&year=&archived=&sort=), so a filtered view can be linked to. On a part
 * page of a listing split over several, the links to the other parts carry that query string, so
 * the same filter applies on the next part. No network, no dependencies.
 */
(function () {
  "use strict";

  var COLUMNS = ["name", "category", "date", "version", "status"];
  // The site's words when it is not in English (written into the page by fieldnotes from its
  // message catalogue): labels by their English text, counts by plural category.
  var WORDS = window.FIELDNOTES_LABELS || { labels: {}, counts: {} };

  function t(english) {
    return WORDS.labels[english] || english;
  }

  function counted(key, english, total, shown) {
    var forms = WORDS.counts[key];
    var rule = forms ? new Intl.PluralRules(document.documentElement.lang || "en").select(total) : "";
    var form = forms ? forms[rule] || forms.other : english;
    return form.replace("{total}", total).replace("{shown}", shown);
  }
  var SORTS = [
    ["name", t("Name (A to Z)")],
    ["name-desc", t("Name (Z to A)")],
    ["date-desc", t("Date (newest first)")],
    ["date", t("Date (oldest first)")],
  ];

  function text(cell) {
    return cell ? cell.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function describe(row) {
    COLUMNS.forEach(function (column) {
      row.dataset[column] = text(row.querySelector("td.fieldnotes-" + column));
    });
    // The name cell may end with a "new" or "updated" mark: the name is its link's text.
    row.dataset.name = text(row.querySelector("td.fieldnotes-name a")) || row.dataset.name;
    var date = row.dataset.date;
    row.dataset.year = /^\d{4}(-\d{2}(-\d{2})?)?$/.test(date) ? date.slice(0, 4) : "";
    row.dataset.search = text(row).toLowerCase();
    // The upstream snapshot's "archived upstream" mark, written into the name cell by the build.
    var archivedMark = row.querySelector("td.fieldnotes-name .fieldnotes-archived-upstream");
    row.dataset.archived = archivedMark ? "1" : "";
  }

  function unique(rows, key, compare) {
    var seen = {};
    rows.forEach(function (row) {
      var value = row.dataset[key];
      if (value && value !== "\u2014") seen[value] = true;
    });
    return Object.keys(seen).sort(compare);
  }

  function byName(a, b) {
    return a.localeCompare(b, "en", { sensitivity: "base", numeric: true });
  }

  function field(form, id, labelText, control) {
    var wrapper = document.createElement("div");
    wrapper.className = "fieldnotes-filter-field";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = labelText;
    control.id = id;
    wrapper.appendChild(label);
    wrapper.appendChild(control);
    form.appendChild(wrapper);
    return control;
  }

  function select(name, allText, values) {
    var control = document.createElement("select");
    control.name = name;
    var all = document.createElement("option");
    all.value = "";
    all.textContent = allText;
    control.appendChild(all);
    values.forEach(function (value) {
      var pair = Array.isArray(value) ? value : [value, value];
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      control.appendChild(option);
    });
    return control;
  }

  function enhance(table, number) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(describe);
    var prefix = "fieldnotes-filter-" + number + "-";

    var form = document.createElement("form");
    form.className = "fieldnotes-filter";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", t("Filter and sort projects"));

    var search = document.createElement("input");
    search.type = "search";
    search.name = "q";
    search.autocomplete = "off";
    search.placeholder = t("name, category, version\u2026");
    field(form, prefix + "q", t("Search"), search);
    var category = field(form, prefix + "category", t("Category"),
      select("category", t("All categories"), unique(rows, "category", byName)));
    var status = field(form, prefix + "status", t("Status"),
      select("status", t("All statuses"), unique(rows, "status", byName)));
    var year = field(form, prefix + "year", t("Year"),
      select("year", t("All years"), unique(rows, "year").reverse()));
    var sort = document.createElement("select");
    sort.name = "sort";
    SORTS.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      sort.appendChild(option);
    });
    field(form, prefix + "sort", t("Sort by"), sort);
    var archived = null;
    if (rows.some(function (row) { return row.dataset.archived; })) {
      archived = document.createElement("input");
      archived.type = "checkbox";
      archived.name = "archived";
      archived.value = "1";
      field(form, prefix + "archived", t("archived upstream"), archived);
    }

    var reset = document.createElement("button");
    reset.type = "reset";
    reset.className = "fieldnotes-filter-reset";
    reset.textContent = t("Show all");
    form.appendChild(reset);

    var count = document.createElement("p");
    count.className = "fieldnotes-filter-count";
    count.setAttribute("role", "status");
    count.setAttribute("aria-live", "polite");

    var anchor = table.closest(".fieldnotes-index") || table;
    anchor.parentNode.insertBefore(form, anchor);
    anchor.parentNode.insertBefore(count, anchor);

    // A part page's links to the other parts of the listing (see render/listing_pages.py).
    var partLinks = Array.prototype.filter.call(
      anchor.parentNode.querySelectorAll("nav.fieldnotes-listing-pages a[href]"),
      function (link) { return link.closest("section, body") === anchor.closest("section, body"); });
    partLinks.forEach(function (link) {
      link.dataset.fieldnotesHref = link.getAttribute("href");
    });

    var controls = { q: search, category: category, status: status, year: year, sort: sort };
    if (archived) controls.archived = archived;
    var params = new URLSearchParams(window.location.search);
    Object.keys(controls).forEach(function (key) {
      var value = params.get(key);
      if (value === null) return;
      var control = controls[key];
      if (control.type === "checkbox") {
        control.checked = value === control.value;
        return;
      }
      if (control.tagName === "SELECT" &&
          !Array.prototype.some.call(control.options, function (o) { return o.value === value; })) {
        return;
      }
      control.value = value;
    });

    function matches(row) {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      return words.every(function (word) { return row.dataset.search.indexOf(word) !== -1; }) &&
        (!category.value || row.dataset.category === category.value) &&
        (!status.value || row.dataset.status === status.value) &&
        (!year.value || row.dataset.year === year.value) &&
        (!archived || !archived.checked || row.dataset.archived === "1");
    }

    function compare(a, b) {
      var key = sort.value;
      if (key === "date" || key === "date-desc") {
        var da = a.dataset.year ? a.dataset.date : "";
        var db = b.dataset.year ? b.dataset.date : "";
        if (da !== db) {
          if (!da) return 1; // undated rows last, whichever the direction
          if (!db) return -1;
          return key === "date" ? (da < db ? -1 : 1) : (da < db ? 1 : -1);
        }
        return byName(a.dataset.name, b.dataset.name);
      }
      var order = byName(a.dataset.name, b.dataset.name);
      return key === "name-desc" ? -order : order;
    }

    function apply() {
      var shown = 0;
      var sorted = rows.slice().sort(compare);
      sorted.forEach(function (row) {
        var visible = matches(row);
        if (row.hidden === visible) row.hidden = !visible;
        if (visible) shown += 1;
      });
      // Move rows only when the order changed: moving a row between a press and its release (the
      // search field's change event fires when a link in the table is pressed) cancels the click.
      var current = Array.prototype.slice.call(body.rows);
      if (sorted.some(function (row, i) { return current[i] !== row; })) {
        sorted.forEach(function (row) { body.appendChild(row); });
      }
      count.textContent = shown === rows.length
        ? counted("all", "Showing all {total} projects.", rows.length, shown)
        : shown === 0
          ? t("No project matches these filters.")
          : counted("some", "Showing {shown} of {total} projects.", rows.length, shown);
      var state = new URLSearchParams(window.location.search);
      Object.keys(controls).forEach(function (key) {
        var control = controls[key];
        var checked = control.type !== "checkbox" || control.checked;
        var value = checked ? control.value : "";
        if (value && !(key === "sort" && value === "name")) state.set(key, value);
        else state.delete(key);
      });
      var query = state.toString();
      partLinks.forEach(function (link) {
        link.setAttribute("href", link.dataset.fieldnotesHref + (query ? "?" + query : ""));
      });
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(null, "", url);
      }
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    table.classList.add("fieldnotes-filter-ready");
    apply();
  }

  function start() {
    var tables = document.querySelectorAll("table.fieldnotes-filterable");
    Array.prototype.forEach.call(tables, enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
