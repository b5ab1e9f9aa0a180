// The site's one script. Everything works without it; with it: the review types follow the chosen
// nation, the error summary takes the focus, the upload shows its progress, and a deposit's status
// page refreshes its status in place. It loads nothing from elsewhere and stores nothing.
(function () {
  "use strict";

  // The error summary is read first: move the focus to it (GOV.UK's pattern).
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  // Only the chosen nation's review types: every type is in a template, each saying which nations have it.
  function followNation() {
    var nation = document.getElementById("nation");
    var types = document.getElementById("review_type");
    var every = document.getElementById("review-type-options");
    if (!nation || !types || !every) { return; }
    function refill() {
      var chosen = types.value;
      var wanted = nation.value;
      while (types.options.length) { types.remove(0); }
      Array.prototype.forEach.call(every.content.querySelectorAll("option"), function (option) {
        var nations = (option.getAttribute("data-nations") || "").split(" ");
        if (!option.value || !wanted || nations.indexOf(wanted) !== -1) {
          types.add(option.cloneNode(true));
        }
      });
      types.value = chosen;
      if (types.value !== chosen) { types.value = ""; }
    }
    nation.addEventListener("change", refill);
    refill();
  }

  // The upload with a progress bar: the same form, sent by the script, then on to the status page.
  function uploadWithProgress() {
    var form = document.querySelector("[data-upload-form]");
    if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
    var progress = form.querySelector("[data-upload-progress]");
    var bar = progress.querySelector("progress");
    var words = progress.querySelector("[data-upload-progress-text]");
    var error = form.querySelector("[data-upload-error]");
    var group = form.querySelector("[data-upload-group]");
    var statusUrl = form.getAttribute("data-status-url");
    form.addEventListener("submit", function (event) {
      var file = form.querySelector("input[type=file]");
      if (!file.files.length) {
        event.preventDefault();
        showError("Select the report's PDF");
        return;
      }
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      error.hidden = true;
      group.classList.remove("form-group-error");
      progress.hidden = false;
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("progress", function (step) {
        if (step.lengthComputable) {
          var percent = Math.round((step.loaded / step.total) * 100);
          bar.value = percent;
          words.textContent = "Uploading: " + percent + "%";
        }
      });
      request.addEventListener("load", function () {
        if (request.status < 400) {
          words.textContent = "Uploaded.";
          window.location.assign(statusUrl);
          return;
        }
        var message = /<Message>([^<]*)<\/Message>/.exec(request.responseText || "");
        button.disabled = false;
        progress.hidden = true;
        showError("The upload did not work" + (message ? ": " + message[1] : "") + ". Try again, or start a new deposit.");
      });
      // The redirect S3 answers with may not be readable here: the status page says what happened.
      request.addEventListener("error", function () { window.location.assign(statusUrl); });
      request.send(new FormData(form));
    });
    function showError(text) {
      error.textContent = "";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = "Error: ";
      error.appendChild(hidden);
      error.appendChild(document.createTextNode(text));
      error.hidden = false;
      group.classList.add("form-group-error");
      form.querySelector("input[type=file]").focus();
    }
  }

  // A status still in progress looks again every few seconds, in place (the page is never reloaded),
  // for up to five minutes. The status is a polite live region: it changes, and is announced, only when
  // the status does. Without the script the page has no timed refresh, only its "Check again" link.
  function refreshStatus() {
    var status = document.getElementById("deposit-status");
    if (!status || !status.getAttribute("data-refresh-url") || !window.fetch || !window.DOMParser) { return; }
    var url = status.getAttribute("data-refresh-url");
    var EVERY_MS = 2000;
    var TRIES = 150;
    var CHECKING = "This page checks again by itself every few seconds.";
    var STOPPED = "This page has stopped checking by itself: check again to see where the deposit is.";
    var tries = 0;
    function say(region, words) {
      var note = region.querySelector("[data-refresh-note]");
      if (note) { note.textContent = words; }
    }
    say(status, CHECKING);
    function again() {
      tries += 1;
      window.fetch(url, { headers: { Accept: "text/html" }, cache: "no-store" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (page) {
          var next = new DOMParser().parseFromString(page, "text/html");
          var fresh = next.getElementById("deposit-status");
          if (!fresh) { return; }
          var inProgress = Boolean(fresh.getAttribute("data-refresh-url"));
          var going = inProgress && tries < TRIES;
          say(fresh, going ? CHECKING : STOPPED);
          if (fresh.innerHTML !== status.innerHTML) {
            status.innerHTML = fresh.innerHTML;
            document.title = next.title;
          }
          status.className = fresh.className;
          if (going) {
            window.setTimeout(again, EVERY_MS);
          } else if (!inProgress) {
            status.removeAttribute("data-refresh-url");
          }
        })
        .catch(function () { if (tries < TRIES) { window.setTimeout(again, 5000); } });
    }
    window.setTimeout(again, EVERY_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    followNation();
    uploadWithProgress();
    refreshStatus();
  });
})();
