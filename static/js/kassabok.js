// Kassabok's only script: small progressive enhancements, no inline script anywhere.
(function () {
  "use strict";

  // The language switch submits itself when a language is picked.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });

  // "Copy" buttons copy the value of the input they point at, or the text of another element
  // without its spaces (a fingerprint shown in groups). Where the clipboard is not offered (a
  // page not served over HTTPS) the text is left selected, for Ctrl+C.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var field = source.tagName === "INPUT" || source.tagName === "TEXTAREA";
    var text = field ? source.value : source.textContent.replace(/\s+/g, "");
    function select() {
      if (field) source.select();
      else window.getSelection().selectAllChildren(source);
    }
    if (field) source.select();
    if (!navigator.clipboard) return select();
    navigator.clipboard.writeText(text).then(function () {
      button.textContent = button.getAttribute("data-copied") || "✓";
    }, select);
  });

  // Hide no-JavaScript fallbacks once the script runs.
  document.documentElement.classList.add("js");

  // An error answer that is not one of Kassabok's HTML fragments (a proxy's 502 page, JSON, an
  // empty body) and a request that never reached the server still show a readable message in
  // #flash, in the page's language.
  function flash() { return document.getElementById("flash"); }

  function errorBox(text) {
    var box = document.createElement("div");
    box.className = "alert alert--error error-message";
    box.setAttribute("role", "alert");
    box.setAttribute("data-error", "client");
    var label = document.createElement("strong");
    label.className = "alert__label";
    label.textContent = (flash().getAttribute("data-error-label") || "Error") + ": ";
    box.appendChild(label);
    box.appendChild(document.createTextNode(text));
    return box;
  }

  function showError(text) {
    var region = flash();
    if (!region) return;
    region.replaceChildren(errorBox(text));
    region.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (!detail.isError || !flash()) return;
    var type = (detail.xhr && detail.xhr.getResponseHeader("Content-Type")) || "";
    var body = (detail.serverResponse || "").trim();
    if (type.indexOf("text/html") === 0 && body && !/<html[\s>]/i.test(body)) return;
    var status = String(detail.xhr ? detail.xhr.status : "");
    var text = (flash().getAttribute("data-error-other") || "") + " (" + status + ")";
    detail.shouldSwap = false;
    showError(text);
  });

  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function () {
      showError(flash() ? flash().getAttribute("data-error-offline") : "");
    });
  });

  // A new action clears the error an earlier one left in #flash.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var cause = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (!cause || (cause.type !== "submit" && cause.type !== "click")) return;
    var region = flash();
    if (!region) return;
    region.querySelectorAll(".error-message").forEach(function (el) { el.remove(); });
  });

  // While a form's request runs: the form is aria-busy, its buttons are disabled (no double
  // post of a retry or an approval) and show the stylesheet's spinner; all undone at the end.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.tagName !== "FORM") return;
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button:not([disabled])").forEach(function (button) {
      button.disabled = true;
      button.setAttribute("data-busy", "");
    });
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.tagName !== "FORM") return;
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button[data-busy]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("data-busy");
    });
    var bar = form.querySelector("progress[data-upload]");
    if (bar) bar.hidden = true;
  });

  // A file upload shows how much of the file has been sent.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target;
    var bar = form && form.querySelector && form.querySelector("progress[data-upload]");
    if (!bar || !event.detail.lengthComputable) return;
    bar.hidden = false;
    bar.max = event.detail.total;
    bar.value = event.detail.loaded;
  });

  // After an error answer is shown in #flash, bring it into view.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "flash") {
      event.detail.target.scrollIntoView({ block: "nearest" });
    }
  });
  // The reconciliation's month grid is one tab stop (the WAI-ARIA grid pattern): the arrow keys
  // move between days (on a phone's calendar, up and down move a week), Home and End to the
  // row's first and last day, Ctrl+Home and Ctrl+End to the grid's; Enter or Space opens a day.
  function dayOf(cell) { return cell.querySelector("a") || cell; }

  function rove(grid, cell, focus) {
    grid.querySelectorAll("td.cell [tabindex='0'], td.cell[tabindex='0']").forEach(function (el) {
      el.tabIndex = -1;
    });
    dayOf(cell).tabIndex = 0;
    grid.setAttribute("data-current", cell.id);
    if (focus) dayOf(cell).focus();
  }

  function setUpGrid(grid) {
    grid.querySelectorAll("td.cell").forEach(function (cell) { dayOf(cell).tabIndex = -1; });
    var kept = document.getElementById(grid.getAttribute("data-current") || "");
    var first = grid.querySelector("td.cell");
    if (kept && grid.contains(kept)) rove(grid, kept, false);
    else if (first) rove(grid, first, false);
  }

  function setUpGrids(root) {
    if (!root.querySelectorAll) return;
    var cell = root.matches && root.matches("td.cell") ? root : null;
    var grid = cell && cell.closest(".recon-grid");
    if (grid) {  // one cell swapped in out of band: a tab stop only if it was the grid's
      dayOf(cell).tabIndex = grid.getAttribute("data-current") === cell.id ? 0 : -1;
      return;
    }
    if (root.matches && root.matches(".recon-grid")) setUpGrid(root);
    root.querySelectorAll(".recon-grid").forEach(setUpGrid);
  }

  document.addEventListener("DOMContentLoaded", function () { setUpGrids(document); });
  document.addEventListener("htmx:load", function (event) { setUpGrids(event.detail.elt); });

  document.addEventListener("focusin", function (event) {
    var cell = event.target.closest && event.target.closest(".recon-grid td.cell");
    if (cell) rove(cell.closest(".recon-grid"), cell, false);
  });

  function moveIn(grid, cell, key, ctrl) {
    var rows = Array.prototype.slice.call(grid.tBodies[0].rows);
    var row = cell.parentElement;
    var r = rows.indexOf(row);
    var days = row.querySelectorAll("td.cell");
    var c = Array.prototype.indexOf.call(days, cell);
    var week = getComputedStyle(row).display === "grid";  // the phone's calendar
    if (key === "ArrowRight") c += 1;
    else if (key === "ArrowLeft") c -= 1;
    else if (key === "Home") { c = 0; if (ctrl) r = 0; }
    else if (key === "End") { c = days.length - 1; if (ctrl) r = rows.length - 1; }
    else if (week && (key === "ArrowDown" || key === "ArrowUp")) c += key === "ArrowDown" ? 7 : -7;
    else if (key === "ArrowDown") r += 1;
    else if (key === "ArrowUp") r -= 1;
    else return null;
    r = Math.max(0, Math.min(rows.length - 1, r));
    var target = rows[r].querySelectorAll("td.cell");
    return target[Math.max(0, Math.min(target.length - 1, c))] || null;
  }

  document.addEventListener("keydown", function (event) {
    var cell = event.target.closest && event.target.closest(".recon-grid td.cell");
    if (!cell || event.altKey || event.metaKey) return;
    if (event.key === " " || event.key === "Spacebar") {
      var link = cell.querySelector("a");
      if (link) { event.preventDefault(); link.click(); }
      return;
    }
    var next = moveIn(cell.closest(".recon-grid"), cell, event.key, event.ctrlKey);
    if (!next) return;
    event.preventDefault();
    rove(next.closest(".recon-grid"), next, true);
  });

  // A day (or a bulk action) opened in the reconciliation's panel is brought into view when it
  // opens out of sight (below the month, on a narrow screen); a heading marked data-focus takes
  // focus. "Cancel" in the panel empties it and gives focus back to the grid's day.
  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = event.detail && event.detail.target;
    if (!panel || panel.id !== "panel") return;
    var box = panel.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight - 80) {
      var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      panel.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
    }
    var heading = panel.querySelector("[data-focus]");
    if (heading) heading.focus({ preventScroll: true });
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest && event.target.closest("[data-panel-close]");
    var panel = close && close.closest("#panel");
    if (!panel || !document.querySelector(".recon-grid")) return;
    event.preventDefault();
    panel.replaceChildren();
    var grid = document.querySelector(".recon-grid");
    var cell = document.getElementById(grid.getAttribute("data-current") || "");
    if (cell) dayOf(cell).focus();
  });
})();
