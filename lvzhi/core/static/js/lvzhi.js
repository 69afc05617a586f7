// lvzhi: small behaviours every page may use. A file, not inline script (the CSP allows none).
"use strict";

// An irreversible action asks first: <form data-confirm="确定要……吗？">, or the same on
// the one button of a shared form that does it.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  var question = (button && button.getAttribute("data-confirm")) ||
    (form.getAttribute && form.getAttribute("data-confirm"));
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
