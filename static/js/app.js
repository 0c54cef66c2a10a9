// Small progressive enhancements; every page works without them.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
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
