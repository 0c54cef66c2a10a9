// The nomination form saves its draft by itself while the user types (form[data-autosave]): at
// most every data-autosave-seconds, never submitting, and says when ("Draft saved at 14:32.") in
// #autosave-status. The first save of a new nomination creates its draft; the page then goes on
// as that draft's form. The server's answer carries the words; the one for a lost connection
// comes from the page. Without this script the form is the plain form.
(function () {
  var form = document.querySelector("form[data-autosave]");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.FormData) { return; }
  var interval = (Number(form.getAttribute("data-autosave-seconds")) || 30) * 1000;
  var last = Date.now(), dirty = false, busy = false, stopped = false, timer = null;

  function schedule() {
    if (dirty && !busy && !stopped && timer === null) {
      timer = window.setTimeout(save, Math.max(0, last + interval - Date.now()));
    }
  }

  function save() {
    timer = null;
    if (!dirty || stopped) { return; }
    busy = true;
    dirty = false;
    last = Date.now();
    var data = new FormData(form);  // no submit button: a draft, never a submission
    data.delete("files");  // chosen files go with the buttons, not with every draft
    fetch(form.getAttribute("data-autosave"), {
      method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
    }).then(function (answer) {
      status.textContent = answer.body.message || "";
      if (answer.ok) {
        var version = form.querySelector('input[name="version"]');
        if (version && answer.body.version !== undefined) { version.value = answer.body.version; }
        if (answer.body.edit_url) {  // a new nomination now has its draft
          form.setAttribute("action", answer.body.edit_url);
          form.setAttribute("data-autosave", answer.body.autosave_url);
          window.history.replaceState(null, "", answer.body.edit_url);
        }
      } else if (answer.status === 403 || answer.status === 409) {
        stopped = true;  // closed, or someone else saved: the buttons say what to do
      }
    }).catch(function () {
      status.textContent = status.getAttribute("data-failed");
      dirty = true;
    }).then(function () {
      busy = false;
      schedule();
    });
  }

  function changed() { dirty = true; schedule(); }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    stopped = true;
    if (timer !== null) { window.clearTimeout(timer); }
  });
})();
