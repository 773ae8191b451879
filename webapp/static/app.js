// impactkg: small enhancements only; every page works without this file.
(function () {
  "use strict";

  // Filter forms submit as soon as a choice changes.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // On a phone the search filters start folded, so the results come first.
  if (window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details.facets-box").forEach(function (box) { box.open = false; });
  }

  // The search mode takes effect at once when there is a query.
  document.querySelectorAll("form.search").forEach(function (form) {
    form.querySelectorAll("input[name=mode]").forEach(function (radio) {
      radio.addEventListener("change", function () { if (form.q.value.trim()) { form.submit(); } });
    });
  });

  // Chain diagram: hovering or focusing an element lights up its links and neighbours.
  document.querySelectorAll("svg.chain").forEach(function (svg) {
    var links = Array.prototype.slice.call(svg.querySelectorAll(".link"));
    function light(iri, on) {
      links.forEach(function (link) {
        var other = link.dataset.from === iri ? link.dataset.to : link.dataset.to === iri ? link.dataset.from : null;
        if (other === null) { return; }
        link.classList.toggle("lit", on);
        svg.querySelectorAll('.node[data-iri="' + CSS.escape(other) + '"]').forEach(function (node) {
          node.classList.toggle("lit", on);
        });
      });
    }
    svg.querySelectorAll(".node[data-iri]").forEach(function (node) {
      var iri = node.dataset.iri;
      ["mouseenter", "focus"].forEach(function (name) { node.addEventListener(name, function () { light(iri, true); }); });
      ["mouseleave", "blur"].forEach(function (name) { node.addEventListener(name, function () { light(iri, false); }); });
    });
  });

  // Citations: the cited sentence flashes when its citation is followed.
  function flash() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.tagName === "MARK") {
      target.classList.add("flash");
      target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: false });
      setTimeout(function () { target.classList.remove("flash"); }, 2000);
    }
  }
  window.addEventListener("hashchange", flash);
  flash();
}());
