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
})();
