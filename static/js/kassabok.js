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

  // "Copy" buttons copy the value of the input they point at.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.querySelector(button.getAttribute("data-copy"));
    if (!input) return;
    input.select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = button.getAttribute("data-copied") || "✓";
      });
    }
  });

  // Hide no-JavaScript fallbacks once the script runs.
  document.documentElement.classList.add("js");

  // After an error answer is shown in #flash, bring it into view.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "flash") {
      event.detail.target.scrollIntoView({ block: "nearest" });
    }
  });
})();
