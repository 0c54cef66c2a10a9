// The photo viewer: a link marked data-viewer opens its photo in the page's <dialog id="viewer">
// instead of leaving the page; previous / next (buttons, or the arrow keys) go through the page's
// photos, Esc or Close shuts it. Its words come from the template, translated there.
(function () {
  var dialog = document.getElementById("viewer");
  if (!dialog || typeof dialog.showModal !== "function") { return; }  // the links then open the photo itself
  var figure = dialog.querySelector(".viewer-figure");
  var caption = document.getElementById("viewer-caption");
  var position = document.getElementById("viewer-position");
  var links = [], current = 0;

  function show(index) {
    links = Array.prototype.slice.call(document.querySelectorAll("a[data-viewer]"));
    if (!links.length) { return; }
    current = (index + links.length) % links.length;
    var link = links[current];
    var image = document.createElement("img");
    image.src = link.href;
    image.alt = link.getAttribute("data-viewer");
    image.className = "viewer-image";
    figure.replaceChildren(image);
    caption.textContent = link.getAttribute("data-viewer");
    position.textContent = position.getAttribute("data-template")
      .replace("{num}", current + 1).replace("{total}", links.length);
    dialog.querySelectorAll("[data-viewer-step]").forEach(function (button) { button.hidden = links.length < 2; });
    if (!dialog.open) { dialog.showModal(); }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-viewer]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
    event.preventDefault();
    var all = Array.prototype.slice.call(document.querySelectorAll("a[data-viewer]"));
    show(all.indexOf(link));
  });
  dialog.addEventListener("click", function (event) {
    var step = event.target.closest("[data-viewer-step]");
    if (step) { show(current + Number(step.getAttribute("data-viewer-step"))); }
    else if (event.target.closest("[data-viewer-close]") || event.target === dialog) { dialog.close(); }
  });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
    if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
  });
  dialog.addEventListener("close", function () {
    figure.replaceChildren();
    var link = links[current];
    if (link) { link.focus(); }  // back where the person was
  });
})();
