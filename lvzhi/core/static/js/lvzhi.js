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

// A search box that narrows a long list: <input data-filters="id-of-a-select">. Options
// match on their data-search (or their text); chosen ones always stay in sight.
document.addEventListener("input", function (event) {
  var box = event.target;
  var id = box.getAttribute && box.getAttribute("data-filters");
  var list = id && document.getElementById(id);
  if (!list) {
    return;
  }
  var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  Array.prototype.forEach.call(list.options, function (option) {
    var text = (option.getAttribute("data-search") || option.text).toLowerCase();
    option.hidden = !option.selected && !words.every(function (w) {
      return text.indexOf(w) !== -1;
    });
  });
});

// Escape closes the phone menu and gives the focus back to its button.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape" || !window.bootstrap) {
    return;
  }
  var open = document.querySelector(".navbar-collapse.show");
  if (open) {
    window.bootstrap.Collapse.getOrCreateInstance(open).hide();
    var toggler = document.querySelector("[data-bs-target='#" + open.id + "']");
    if (toggler) {
      toggler.focus();
    }
  }
});

// A refused form's error summary takes the focus, so a screen reader reads it first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});

// "Select all on this page": <input type="checkbox" data-check-all="name-of-the-boxes">.
document.addEventListener("change", function (event) {
  var all = event.target;
  var name = all.getAttribute && all.getAttribute("data-check-all");
  if (!name || !all.form) {
    return;
  }
  all.form.querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (box) {
    if (!box.disabled) {
      box.checked = all.checked;
    }
  });
});
