// Keyboard scoring on the judge's screen (form[data-scoring-keys]): a digit gives that score to
// the criterion that has the focus (its radio buttons, or anything else in its box but a text
// field, where the digit is typed); Ctrl+Enter (⌘+Enter) saves and goes to the next nomination,
// like the "Save and next" button. The shortcuts are listed on the page (#keyboard-help).
(function () {
  var form = document.querySelector("form[data-scoring-keys]");
  if (!form) { return; }
  var next = form.querySelector('button[name="action"][value="next"]');

  function typing(element) {
    return element.isContentEditable || element.tagName === "TEXTAREA" || element.tagName === "SELECT" ||
      (element.tagName === "INPUT" && !/^(radio|checkbox|button|submit)$/.test(element.type));
  }

  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && next) {
      event.preventDefault();
      form.requestSubmit(next);
      return;
    }
    if (!/^[0-9]$/.test(event.key) || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    var box = event.target.closest("fieldset");
    var group = box && box.querySelector("[data-score-choice]");
    var option = group && group.querySelector('input[type="radio"][value="' + event.key + '"]');
    if (!option || option.disabled) { return; }
    event.preventDefault();
    option.checked = true;
    option.focus();
    option.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
