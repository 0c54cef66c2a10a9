// Small progressive enhancements; every page works without them.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  // Ask to confirm only input that can go through: with a needed field still empty the form goes
  // straight to the server, which says what is missing beside the field (and saves nothing).
  if (button && inputReady(button.form) && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
  var copy = event.target.closest("[data-copy-target]");
  if (copy) {
    var field = document.getElementById(copy.getAttribute("data-copy-target"));
    if (field) {
      field.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(field.value); }
    }
  }
});

// Fields marked data-needed (a value, or a ticked box) and groups marked data-needed-choice (one
// option chosen); data-if / data-unless name a checkbox that makes the rule apply or not.
function inputReady(form) {
  if (!form) { return true; }
  var ready = true;
  form.querySelectorAll("[data-needed], [data-needed-choice]").forEach(function (element) {
    var unless = element.getAttribute("data-unless"), onlyIf = element.getAttribute("data-if");
    var box = document.getElementById(unless || onlyIf);
    if ((unless && box && box.checked) || (onlyIf && box && !box.checked)) { return; }
    if (element.hasAttribute("data-needed-choice")) {
      if (!element.querySelector("input:checked")) { ready = false; }
    } else if (element.type === "checkbox" ? !element.checked : !element.value.trim()) {
      ready = false;
    }
  });
  return ready;
}

// A table wider than the screen scrolls inside its .table-responsive wrapper: while it does, the
// wrapper takes the keyboard focus (Tab, then the arrow keys scroll it) and is a region named by
// the table's caption or the heading before it.
function markScrollingTables() {
  document.querySelectorAll(".table-responsive").forEach(function (wrapper) {
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      wrapper.setAttribute("tabindex", "0");
      var caption = wrapper.querySelector("caption");
      var heading = caption ? null : wrapper.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) { heading = heading.previousElementSibling; }
      var name = (caption || heading || {}).textContent;
      if (name && name.trim()) {
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", name.trim().replace(/\s+/g, " "));
      }
    } else {
      ["tabindex", "role", "aria-label"].forEach(function (name) { wrapper.removeAttribute(name); });
    }
  });
}
markScrollingTables();
window.addEventListener("resize", markScrollingTables);
