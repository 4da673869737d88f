// Idle warning: two minutes before the server ends an idle session, show an NHS.UK warning
// with a "Stay signed in" button; at the limit, reload so the server sends the login page.
// Progressive only: the control is ccc.middleware.IdleTimeoutMiddleware.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.dataset.idleTimeoutSeconds, 10);
  if (!seconds) return;
  var warnBefore = Math.min(120, Math.floor(seconds / 2));
  var warnTimer = null;
  var endTimer = null;
  var box = null;

  // To the login page (never a reload, which could post a form again); if another tab kept the
  // session alive, the login page sends the person straight back here.
  function signIn() {
    var here = window.location.pathname + window.location.search;
    window.location.assign(body.dataset.loginUrl + "?next=" + encodeURIComponent(here));
  }

  function hide() {
    if (box) { box.remove(); box = null; }
  }

  function show() {
    if (box) return;
    box = document.createElement("div");
    box.className = "nhsuk-card nhsuk-card--warning ccc-idle-warning";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "ccc-idle-warning-heading");
    box.dataset.testid = "idle-warning";
    var content = document.createElement("div");
    content.className = "nhsuk-card__content";
    var heading = document.createElement("h2");
    heading.className = "nhsuk-card__heading";
    heading.id = "ccc-idle-warning-heading";
    heading.textContent = "You will be signed out soon";
    var text = document.createElement("p");
    text.className = "nhsuk-card__description";
    text.textContent = "You have not done anything for a while. To protect patients' information you will be " +
      "signed out in " + Math.round(warnBefore / 60) + " minutes. Anything you have not saved will be lost.";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "nhsuk-button nhsuk-u-margin-bottom-0";
    button.textContent = "Stay signed in";
    button.addEventListener("click", function () {
      fetch(body.dataset.keepaliveUrl, {credentials: "same-origin"}).then(function (r) {
        if (r.ok) { hide(); start(); } else { signIn(); }
      });
    });
    content.appendChild(heading);
    content.appendChild(text);
    content.appendChild(button);
    box.appendChild(content);
    var main = document.getElementById("maincontent") || body;
    main.insertBefore(box, main.firstChild);
    button.focus();
  }

  function start() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(show, (seconds - warnBefore) * 1000);
    // A moment after the limit, so the server agrees the session has ended.
    endTimer = setTimeout(signIn, (seconds + 5) * 1000);
  }

  start();
})();
