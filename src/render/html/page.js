// controlmap's interactive map page: slider, play/pause, steps, URL fragment, tooltips, and
// a live region. No network, no library: everything it needs is in this file and #cm-data.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cm-data").textContent);
  var states = data.states, words = data.words, n = states.length;
  var $ = function (id) { return document.getElementById(id); };
  var slider = $("cm-slider"), play = $("cm-play"), prev = $("cm-prev"), next = $("cm-next");
  var speed = $("cm-speed"), loop = $("cm-loop"), live = $("cm-live"), tip = $("cm-tip");
  var figure = $("cm-figure");
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");
  var current = -1, timer = null, fading = [];

  // Each state's groups (control and annotations, in each map), found once.
  var byState = [];
  document.querySelectorAll(".cm-state").forEach(function (g) {
    var k = +g.getAttribute("data-state");
    (byState[k] = byState[k] || []).push(g);
    if (g.style.display !== "none") { current = k; }
  });
  var initial = current;
  current = -1;

  function valuetext(s) {
    return s.caption ? s.label + ": " + s.caption : s.label;
  }

  // Shows state k: cross-fades from the current one unless the reader asked for less motion.
  function show(k, announce) {
    k = Math.max(0, Math.min(n - 1, k));
    if (k === current) { return; }
    var before = current;
    current = k;
    var still = !!(reduced && reduced.matches);
    // Only the groups that change are touched: a date change costs the same at any length.
    fading.forEach(function (f) { f.g.style.display = "none"; clearTimeout(f.t); });
    fading = [];
    [before, initial].forEach(function (old) {
      if (old < 0 || old === k || !byState[old]) { return; }
      byState[old].forEach(function (g) {
        if (still || before < 0) {
          g.style.display = "none";
        } else {
          g.style.opacity = "0";
          fading.push({ g: g, t: setTimeout(function () { g.style.display = "none"; }, 420) });
        }
      });
    });
    initial = -1;
    (byState[k] || []).forEach(function (g) {
      g.style.display = "";
      if (still || before < 0) {
        g.style.opacity = "1";
      } else {
        g.style.opacity = "0";
        g.getBoundingClientRect();
        g.style.opacity = "1";
      }
    });
    var s = states[k];
    slider.value = String(k);
    slider.setAttribute("aria-valuetext", valuetext(s));
    $("cm-date").textContent = s.label;
    $("cm-caption").textContent = s.caption;
    document.title = data.title + " \u2014 " + s.label;
    document.documentElement.setAttribute("data-state", s.date);
    try {
      if (location.hash !== "#" + s.date) { history.replaceState(null, "", "#" + s.date); }
    } catch (e) { /* a sandboxed frame may refuse: the map still works */ }
    if (announce) { live.textContent = s.label + ". " + s.description; }
    hideTip();
  }

  // The last state on or before a date (ISO strings compare as dates).
  function indexOn(date) {
    var k = 0;
    for (var i = 0; i < n; i++) { if (states[i].date <= date) { k = i; } }
    return k;
  }

  function monthFrom(date, months) {
    var y = +date.slice(0, 4), m = +date.slice(5, 7) - 1 + months, d = date.slice(8, 10);
    y += Math.floor(m / 12);
    m = ((m % 12) + 12) % 12;
    return String(y).padStart(4, "0") + "-" + String(m + 1).padStart(2, "0") + "-" + d;
  }

  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    play.textContent = "\u25B6";
    play.setAttribute("aria-label", words.play);
    play.title = words.play;
  }

  function start() {
    if (current >= n - 1 && !loop.checked) { show(0, false); }
    play.textContent = "\u275A\u275A";
    play.setAttribute("aria-label", words.pause);
    play.title = words.pause;
    var tick = function () {
      if (current >= n - 1) {
        if (loop.checked) { show(0, true); } else { stop(); }
        return;
      }
      show(current + 1, true);
    };
    timer = setInterval(tick, 1200 / (+speed.value || 1));
  }

  play.addEventListener("click", function () { if (timer) { stop(); } else { start(); } });
  prev.addEventListener("click", function () { stop(); show(current - 1, true); });
  next.addEventListener("click", function () { stop(); show(current + 1, true); });
  speed.addEventListener("change", function () { if (timer) { stop(); start(); } });
  slider.addEventListener("input", function () { stop(); show(+slider.value, true); });
  // Every key is handled here, the same in every browser: arrows step one change, Page keys
  // a month, Home and End go to the ends.
  slider.addEventListener("keydown", function (e) {
    var k = null, s = states[current];
    switch (e.key) {
      case "ArrowRight": case "ArrowUp": k = current + 1; break;
      case "ArrowLeft": case "ArrowDown": k = current - 1; break;
      case "PageUp": k = Math.max(current + 1, indexOn(monthFrom(s.date, 1))); break;
      case "PageDown": k = Math.min(current - 1, indexOn(monthFrom(s.date, -1))); break;
      case "Home": k = 0; break;
      case "End": k = n - 1; break;
      default: return;
    }
    e.preventDefault();
    stop();
    show(k, true);
  });

  // Tooltips: what the current state says of a territory, on hover, tap or keyboard focus.
  function territoryOf(el) {
    var t = el && el.closest ? el.closest("[data-territory]") : null;
    return t ? t.getAttribute("data-territory") : null;
  }

  function meaningOf(id, k) {
    var i = (data.stateMeanings[k] || {})[id];
    return i === undefined ? null : data.meanings[i];
  }

  function holder(id) { return data.holders[id] || id; }

  function tipHtml(m) {
    var esc = function (s) {
      return String(s).replace(/[&<>"']/g, function (c) {
        return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
      });
    };
    var h = "<strong>" + esc(m.name) + "</strong>";
    if (m.controller === "no-data" || !m.controller) {
      h += esc(words.noRecord);
    } else if (m.parties && m.parties.length) {
      h += esc(words.contested + " " + m.parties.map(holder).join(" " + words.and + " "));
    } else {
      h += esc(holder(m.controller));
    }
    if (m.since) { h += " \u2014 " + esc(words.since + " " + m.since); }
    if (m.confidence) {
      h += "<br>" + esc(words.confidence) + ": " + esc(words[m.confidence] || m.confidence);
    }
    var refs = (m.refs || []).map(function (id) { return data.references[id]; })
      .filter(function (r) { return r; });
    if (refs.length) {
      h += "<br>" + esc(words.sources) + ":<ul>";
      refs.forEach(function (r) {
        h += /^https?:\/\//i.test(r.url)
          ? '<li><a href="' + esc(r.url) + '" target="_blank" rel="noopener noreferrer">' + esc(r.short) + "</a></li>"
          : "<li>" + esc(r.short) + "</li>";
      });
      h += "</ul>";
    }
    return h;
  }

  function showTip(target, x, y) {
    var m = meaningOf(territoryOf(target), current);
    if (!m) { hideTip(); return; }
    tip.innerHTML = tipHtml(m);
    tip.hidden = false;
    var box = figure.getBoundingClientRect();
    var left = Math.min(Math.max(0, x - box.left + 12), Math.max(0, box.width - tip.offsetWidth));
    var top = y - box.top + 12;
    if (top + tip.offsetHeight > box.height) { top = Math.max(0, y - box.top - tip.offsetHeight - 12); }
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function hideTip() { tip.hidden = true; }

  figure.addEventListener("mousemove", function (e) {
    if (e.target.closest && e.target.closest("[data-territory]")) {
      showTip(e.target, e.clientX, e.clientY);
    } else if (!tip.contains(e.target)) {
      hideTip();
    }
  });
  figure.addEventListener("mouseleave", hideTip);
  figure.addEventListener("click", function (e) {
    if (tip.contains(e.target)) { return; }
    showTip(e.target, e.clientX, e.clientY);
  });
  figure.addEventListener("focusin", function (e) {
    var b = e.target.getBoundingClientRect();
    showTip(e.target, b.left + b.width / 2, b.top + b.height / 2);
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hideTip(); } });
  // Each territory of a state takes keyboard focus once and says its name.
  document.querySelectorAll(".cm-state").forEach(function (g) {
    var k = +g.getAttribute("data-state"), seen = {};
    g.querySelectorAll("[data-territory]").forEach(function (el) {
      var id = el.getAttribute("data-territory"), m = meaningOf(id, k);
      if (seen[id] || !m) { return; }
      seen[id] = true;
      el.setAttribute("tabindex", "0");
      el.setAttribute("aria-label", m.name);
    });
  });

  function fromHash() {
    var h = decodeURIComponent(location.hash.replace(/^#/, ""));
    return /^\d{4}-\d{2}-\d{2}$/.test(h) ? indexOn(h) : null;
  }
  window.addEventListener("hashchange", function () {
    var k = fromHash();
    if (k !== null) { stop(); show(k, true); }
  });
  var k0 = fromHash();
  show(k0 === null ? n - 1 : k0, false);

  // For tests driving the page without a real keyboard.
  window.controlmap = { show: show, current: function () { return current; }, states: states };
})();
