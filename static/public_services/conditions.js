/* The condition language of online forms, in the browser. Same rules as
   public_services/forms/conditions.py (the tests run one table of cases through both):
   {"field": x, "equals": v} | {"field": x, "in": [..]} | {"field": x, "not_empty": bool} | {"all": [..]} | {"any": [..]}.
   Hidden answers are left out of `values`, so they count as missing. */
(function (root) {
  "use strict";
  var has = function (obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); };

  function isEmpty(value) {
    return value === null || value === undefined || value === false || value === "" ||
      (Array.isArray(value) && value.length === 0);
  }

  function same(a, b) {
    if (a === undefined) { a = null; }
    if (b === undefined) { b = null; }
    return a === b;
  }

  function evaluate(condition, values) {
    if (has(condition, "all")) { return condition.all.every(function (c) { return evaluate(c, values); }); }
    if (has(condition, "any")) { return condition.any.some(function (c) { return evaluate(c, values); }); }
    var value = has(values, condition.field) ? values[condition.field] : null;
    if (has(condition, "equals")) { return same(value, condition.equals); }
    if (has(condition, "in")) { return condition["in"].some(function (option) { return same(value, option); }); }
    if (has(condition, "not_empty")) { return !isEmpty(value) === Boolean(condition.not_empty); }
    throw new Error("unknown condition: " + JSON.stringify(condition));
  }

  root.EgovConditions = { evaluate: evaluate, isEmpty: isEmpty };
  if (typeof module !== "undefined" && module.exports) { module.exports = root.EgovConditions; }
})(typeof window !== "undefined" ? window : globalThis);
