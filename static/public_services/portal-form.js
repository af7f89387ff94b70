/* Online forms in the browser: show a field, section or upload only when its condition holds (the
   same evaluator as the server, conditions.js), and add/remove items of repeatable groups. Hidden
   inputs are disabled so they are not sent; the server drops hidden answers anyway. Without
   JavaScript every field shows and the server still decides what is required. */
(function () {
  "use strict";
  var NUMBER = /^-?\d+(\.\d+)?$/;

  function readValue(container) {
    var type = container.getAttribute("data-type");
    if (type === "checkbox") {
      var box = container.querySelector("input[type=checkbox]");
      return box ? box.checked : false;
    }
    if (container.querySelector("input[type=radio]")) {
      var checked = container.querySelector("input[type=radio]:checked");
      return checked ? checked.value : "";
    }
    var input = container.querySelector("input, select, textarea");
    var text = input ? input.value.trim() : "";
    if (type === "number") {
      if (text === "") { return null; }
      return NUMBER.test(text) ? Number(text) : text;
    }
    return text;
  }

  function condition(el) {
    var raw = el.getAttribute("data-show-if");
    return raw ? JSON.parse(raw) : null;
  }

  function setShown(el, shown) {
    el.hidden = !shown;
    el.querySelectorAll("input, select, textarea, button").forEach(function (input) {
      if (input.closest("template")) { return; }
      input.disabled = !shown || Boolean(hiddenAncestor(input, el));
    });
  }

  function hiddenAncestor(input, stop) {
    var node = input.parentElement;
    while (node && node !== stop) {
      if (node.hidden) { return node; }
      node = node.parentElement;
    }
    return null;
  }

  function shows(el, values) {
    var cond = condition(el);
    return !cond || window.EgovConditions.evaluate(cond, values);
  }

  function refresh(form) {
    var values = {};
    form.querySelectorAll("[data-section]").forEach(function (section) {
      var sectionShown = shows(section, values);
      section.querySelectorAll(":scope > [data-field]").forEach(function (field) {
        var shown = sectionShown && shows(field, values);
        if (field.getAttribute("data-type") === "group") {
          var items = [];
          field.querySelectorAll("[data-group-item]").forEach(function (item) {
            if (item.closest("template")) { return; }
            var itemValues = {};
            item.querySelectorAll("[data-field]").forEach(function (child) {
              var scope = Object.assign({}, values, itemValues);
              var childShown = shown && shows(child, scope);
              child.hidden = !childShown;
              if (childShown) { itemValues[child.getAttribute("data-field")] = readValue(child); }
            });
            items.push(itemValues);
          });
          setShown(field, shown);
          if (shown) { values[field.getAttribute("data-field")] = items; }
          return;
        }
        setShown(field, shown);
        if (shown) { values[field.getAttribute("data-field")] = readValue(field); }
      });
      section.hidden = !sectionShown;
    });
    form.querySelectorAll("[data-upload]").forEach(function (upload) {
      setShown(upload, shows(upload, values));
    });
  }

  function addItem(group, form) {
    var items = group.querySelector("[data-items]");
    var max = Number(group.getAttribute("data-max-items") || 50);
    if (items.querySelectorAll("[data-group-item]").length >= max) { return; }
    var index = Number(group.getAttribute("data-next-index") || 0);
    group.setAttribute("data-next-index", String(index + 1));
    var template = group.querySelector("template[data-item-template]");
    var clone = template.content.firstElementChild.cloneNode(true);
    clone.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.split("__i__").join(String(index)).split("--i--").join(String(index))); }
      });
    });
    items.appendChild(clone);
    refresh(form);
    var first = clone.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus(); }
  }

  document.querySelectorAll("form[data-conditional-form]").forEach(function (form) {
    form.addEventListener("input", function () { refresh(form); });
    form.addEventListener("change", function () { refresh(form); });
    form.addEventListener("click", function (event) {
      var add = event.target.closest("[data-add-item]");
      if (add) { addItem(add.closest("[data-type=group]"), form); return; }
      var remove = event.target.closest("[data-remove-item]");
      if (remove) {
        var group = remove.closest("[data-type=group]");
        remove.closest("[data-group-item]").remove();
        refresh(form);
        var next = group.querySelector("[data-add-item]");
        if (next) { next.focus(); }
      }
    });
    refresh(form);
    var errors = document.getElementById("form-errors");
    if (errors) { errors.focus(); }
  });
})();
