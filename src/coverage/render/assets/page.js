// threat-coverage: the Leaflet page's own script (coverage.render.leaflet).
// A constant: it reads the JSON document #tc-data and draws it; nothing from data
// is ever part of this file. The page calls it with folium's map object.
(function (map) {
  "use strict";
  // Geometry arrives packed; assets/decode.js unpacks it and keeps the view in its region.
  var data = tcPayload.open(map, JSON.parse(document.getElementById("tc-data").textContent));
  // The basemap and the labels (the names are in the table #tc-table) are decoration
  // for assistive technology; the map's element is described by #tc-alt.
  var basePane = map.createPane("tcBase");
  basePane.style.zIndex = 350;
  basePane.setAttribute("aria-hidden", "true");
  // Hit areas lie under the dots, and the dots over the sites' symbols (set apart from
  // them): a tap on a dot is the dot's, a tap near one goes to the nearest target or
  // site (see tapped).
  var hitPane = map.createPane("tcHits");
  hitPane.style.zIndex = 440;
  hitPane.setAttribute("role", "group");
  hitPane.setAttribute("aria-label", "Targets, nearest first (arrow keys: next, previous)");
  map.createPane("tcSites").style.zIndex = 620;
  map.createPane("tcPoints").style.zIndex = 630;
  var labelPane = map.createPane("tcLabels");
  labelPane.style.zIndex = 640;
  labelPane.style.pointerEvents = "none";
  labelPane.setAttribute("aria-hidden", "true");
  var container = map.getContainer();
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", "Map");
  if (document.getElementById("tc-alt")) {
    container.setAttribute("aria-describedby", "tc-alt");
  }
  // Tab reaches the map's controls (zoom, layers) before its targets and sites.
  var controlBox = container.querySelector(".leaflet-control-container");
  if (controlBox) { container.insertBefore(controlBox, container.firstChild); }
  window.threatCoverageMap = map;
  if (map.attributionControl) {
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  }
  var panel = document.getElementById("tc-panel");
  var details = panel ? panel.querySelector("details") : null;
  var bar = document.getElementById("tc-rangebar");
  var printQuery = window.matchMedia ? window.matchMedia("print") : null;
  function printing() { return !!(printQuery && printQuery.matches); }
  // Below data.narrow px the panel starts as a one-line bar that opens on tap.
  var narrow = window.innerWidth < data.narrow;
  if (panel) {
    panel.classList.toggle("tc-narrow", narrow);
    if (details) { details.open = !narrow || printing(); }
  }
  var control = L.control.layers(null, null, {collapsed: narrow});
  if (data.tiles) {
    control.addBaseLayer(L.tileLayer(data.tiles.url, data.tiles.options).addTo(map),
                         data.tiles.name);
  }
  function geoJson(part, parent) {
    var layer = L.geoJson(part.data, part.options);
    if (part.tooltip) { layer.bindTooltip(part.tooltip, {sticky: true}); }
    return layer.addTo(parent);
  }
  var base = data.base.name ? L.featureGroup() : map;
  data.base.parts.forEach(function (part) { geoJson(part, base); });
  if (data.base.name) { control.addOverlay(base.addTo(map), data.base.name); }
  data.layers.forEach(function (layer) {
    var group = L.featureGroup();
    layer.parts.forEach(function (part) { geoJson(part, group); });
    control.addOverlay(group.addTo(map), layer.name);
  });
  // Names are escaped HTML in the data; as text (a title attribute) they are decoded
  // by a parser that runs no script.
  var parser = new DOMParser();
  function textOf(escaped) {
    return parser.parseFromString(escaped, "text/html").documentElement.textContent;
  }

  // ------------------------------------------------------------------ room between controls
  function boxOf(el) {
    if (!el || printing()) { return null; }
    var r = el.getBoundingClientRect();
    if (!r.width || !r.height) { return null; }
    var m = container.getBoundingClientRect();
    return {left: r.left - m.left, top: r.top - m.top, right: r.right - m.left,
            bottom: r.bottom - m.top};
  }
  // What lies over the map: the panel, the range bar and Leaflet's controls.
  function controlBoxes() {
    var els = [panel, bar].concat(
      Array.prototype.slice.call(container.querySelectorAll(".leaflet-control")));
    var size = map.getSize();
    return els.map(boxOf).filter(function (b) {
      return b && b.right > 0 && b.bottom > 0 && b.left < size.x && b.top < size.y;
    });
  }
  // The rectangle of the map clear of every control (8 px away) that scores best: each
  // control is left out by one of the rectangle's four sides, and every choice is tried
  // (a handful of controls: at most 4^n rectangles, most cut short).
  function room(score) {
    var gap = 8;
    var size = map.getSize();
    var boxes = controlBoxes();
    var best = null;
    var walk = function (i, r) {
      if (r.right - r.left < 1 || r.bottom - r.top < 1) { return; }
      if (i === boxes.length) {
        var s = score(r.right - r.left, r.bottom - r.top);
        if (!best || s > best.score) { best = {left: r.left, top: r.top, right: r.right,
                                               bottom: r.bottom, score: s}; }
        return;
      }
      var b = boxes[i];
      if (b.right <= r.left || b.left >= r.right || b.bottom <= r.top || b.top >= r.bottom) {
        walk(i + 1, r);
        return;
      }
      walk(i + 1, {left: b.right + gap, top: r.top, right: r.right, bottom: r.bottom});
      walk(i + 1, {left: r.left, top: b.bottom + gap, right: r.right, bottom: r.bottom});
      walk(i + 1, {left: r.left, top: r.top, right: b.left - gap, bottom: r.bottom});
      walk(i + 1, {left: r.left, top: r.top, right: r.right, bottom: b.top - gap});
    };
    walk(0, {left: gap, top: gap, right: size.x - gap, bottom: size.y - gap});
    return best;
  }
  // The range bar lies along the bottom: Leaflet's bottom controls that it would cover
  // (the scale, the attribution) move up above it.
  function layoutBar() {
    if (!bar) { return; }
    var corners = container.querySelectorAll(".leaflet-bottom");
    for (var i = 0; i < corners.length; i++) { corners[i].style.bottom = ""; }
    var b = bar.getBoundingClientRect();
    if (!b.width || printing()) { return; }
    var m = container.getBoundingClientRect();
    // The open panel of a narrow page stops above the bar.
    document.documentElement.style.setProperty("--tc-bar-space",
                                               Math.ceil(m.bottom - b.top + 8) + "px");
    for (var j = 0; j < corners.length; j++) {
      var c = corners[j].getBoundingClientRect();
      if (c.width && c.left < b.right && b.left < c.right) {
        corners[j].style.bottom = Math.ceil(m.bottom - b.top + 4) + "px";
      }
    }
  }

  // ------------------------------------------------------------------ popups
  // Every popup fits the room between the controls: never wider than the map less 16 px,
  // never under a control; a tall one scrolls. Its frame (page.css): 51 px across, 60 px
  // down with its tip.
  var popups = [];
  function tune(popup) {
    var r = popups.room;
    if (!r) { return; }
    var size = map.getSize();
    var o = popup.options;
    o.maxWidth = Math.max(100, Math.min(380, r.right - r.left - 52));
    o.minWidth = Math.min(230, o.maxWidth);
    o.maxHeight = Math.max(80, r.bottom - r.top - 60);
    o.autoPanPaddingTopLeft = L.point(r.left, r.top);
    o.autoPanPaddingBottomRight = L.point(size.x - r.right, size.y - r.bottom);
  }
  function tuneAll() {
    popups.room = room(function (w, h) { return Math.min(w, 420) * h; });
    popups.forEach(tune);
  }
  function newPopup(html) {
    var popup = L.popup({autoPanPadding: L.point(8, 8)}).setContent(html);
    popups.push(popup);
    tune(popup);
    return popup;
  }
  // Once the pan that brings a new popup into the room has ended, it is checked once
  // more: by the edge of the region a reader may see (the map's maxBounds) the pan stops
  // short, and the popup moves sideways instead, its tip still on its mark.
  function keepInRoom(popup) {
    var r = popups.room;
    var el = popup.getElement();
    if (!r || !el || !map.hasLayer(popup)) { return; }
    if (map._panAnim && map._panAnim._inProgress) {
      map.once("moveend", function () { keepInRoom(popup); });
      return;
    }
    var box = boxOf(el);
    var dx = box.left < r.left ? r.left - box.left : Math.min(0, r.right - box.right);
    if (Math.abs(dx) < 1) { return; }
    var limit = Math.max(0, el.offsetWidth / 2 - 30);
    var x = Math.max(-limit, Math.min(limit, L.point(popup.options.offset).x + dx));
    popup.options.offset = L.point(x, 7);
    el.querySelector(".leaflet-popup-tip-container").style.marginLeft = (-20 - x) + "px";
    popup.update();
  }
  map.on("popupclose", function (e) {
    e.popup.options.offset = L.point(0, 7);
    var tip = e.popup.getElement().querySelector(".leaflet-popup-tip-container");
    tip.style.marginLeft = "";
  });
  // A target's mark (the scene's TARGET_STYLES): a circle marker, drawn as a diamond
  // when its style's shape says so (in range at some figures only); a hollow ring is
  // a circle with a white fill. setStyle redraws the shape (the range slider's).
  var TargetMark = L.CircleMarker.extend({
    _updatePath: function () {
      if (this.options.shape !== "diamond" || !this._renderer._setPath || this._empty()) {
        L.CircleMarker.prototype._updatePath.call(this);
        return;
      }
      var p = this._point;
      var r = this._radius * 1.25;  // the area of a circle of radius this._radius
      this._renderer._setPath(this, "M" + p.x + "," + (p.y - r) + "L" + (p.x + r) + "," + p.y +
        "L" + p.x + "," + (p.y + r) + "L" + (p.x - r) + "," + p.y + "z");
    }
  });
  // Escape closes the popup and gives the focus back to what opened it.
  var opener = null;
  map.on("popupopen", function (e) {
    var active = document.activeElement;
    opener = active && active !== document.body ? active : null;
    var check = function () {
      map.off("moveend", check);
      keepInRoom(e.popup);
    };
    map.on("moveend", check);
    setTimeout(check, 400);
  });

  // ------------------------------------------------------------------ targets
  // A dot per target, coloured by state, under it a hit area of data.hit px that Tab
  // reaches (nearest first) and Enter or Space opens; names of those in range as labels.
  var targets = [];
  var tappables = [];
  function tapped(e) {
    // A tap opens the target or site whose centre is nearest (hit areas may overlap).
    var at = map.mouseEventToContainerPoint(e.originalEvent);
    var best = null;
    var bestD = Infinity;
    tappables.forEach(function (t) {
      if (!t.shown()) { return; }
      var d = t.at().distanceTo(at);
      if (d < bestD) { best = t; bestD = d; }
    });
    (best || this).open();
  }
  // Tab to a target or site off the room between the controls pans it into the room
  // (Leaflet's own autoPanOnFocus is off: it would also pan on a tap, under the popup's).
  var byKeyboard = false;
  document.addEventListener("keydown", function () { byKeyboard = true; }, true);
  ["pointerdown", "mousedown", "touchstart"].forEach(function (type) {
    document.addEventListener(type, function () { byKeyboard = false; }, true);
  });
  function panOnFocus(marker) {
    var el = marker.getElement();
    var r = popups.room;
    if (!el || !r || !byKeyboard) { return; }
    var size = map.getSize();
    var half = data.hit / 2;
    map.panInside(marker.getLatLng(), {
      paddingTopLeft: [r.left + half, r.top + half],
      paddingBottomRight: [size.x - r.right + half, size.y - r.bottom + half]
    });
  }
  function activate(item) {
    item.marker.on("add", function () {
      var el = item.marker.getElement();
      if (item.rove) { el.tabIndex = item === roving.current ? 0 : -1; }
      L.DomEvent.on(el, "focus", function () {
        if (item.rove) { rove(item); }
        panOnFocus(item.marker);
      });
    });
    item.marker.on("click", tapped, item);
    item.marker.on("keypress", function (e) {
      var key = e.originalEvent.key;
      if (key === "Enter" || key === " ") {
        e.originalEvent.preventDefault();
        item.open();
      }
    });
    tappables.push(item);
  }
  // Targets are one stop of Tab (a roving tabindex): Tab reaches the current one, nearest
  // first; arrow keys, Home and End move between them, so that a map of many targets is
  // quick to pass, and close hit areas are never side by side in the Tab order.
  var roving = {items: [], current: null};
  function rove(item) {
    roving.current = item;
    roving.items.forEach(function (other) {
      var el = other.marker.getElement();
      if (el) { el.tabIndex = other === item ? 0 : -1; }
    });
  }
  var moves = {ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1, Home: -Infinity,
               End: Infinity};
  function roveKey(item, e) {
    var key = e.originalEvent.key;
    if (!Object.prototype.hasOwnProperty.call(moves, key)) { return; }
    e.originalEvent.preventDefault();
    // Only targets on the map (the date control may take some off).
    var list = roving.items.filter(function (it) { return it.marker.getElement(); });
    var to = Math.max(0, Math.min(list.length - 1, list.indexOf(item) + moves[key]));
    var el = list[to].marker.getElement();
    if (el) { el.focus(); }
  }
  var labelGroup = L.featureGroup();
  var nearFirst = function (a, b) {
    return (a.need === null ? Infinity : a.need) - (b.need === null ? Infinity : b.need);
  };
  if (data.targets) {
    var tgroup = L.featureGroup([], data.targets.attribution
      ? {attribution: data.targets.attribution} : {});
    var half = data.hit / 2;
    data.targets.points.forEach(function (p) {
      var marker = new TargetMark([p.lat, p.lon], p.style);
      marker.bindTooltip(p.name, {direction: "top"});
      var popup = newPopup(p.popup);
      marker.bindPopup(popup);
      marker.addTo(tgroup);
      targets.push({dot: marker, popup: popup, need: p.need, state: p.state, name: p.name,
                    home: L.latLng(p.lat, p.lon), labelled: !!p.label, label: null,
                    index: targets.length, hidden: false});
    });
    targets.slice().sort(nearFirst).forEach(function (t) {
      var icon = L.divIcon({className: "tc-hit", html: "", iconSize: [data.hit, data.hit],
                            iconAnchor: [half, half]});
      var item = {
        rove: true,
        marker: L.marker(t.home, {icon: icon, pane: "tcHits", title: textOf(t.name),
                                  keyboard: true, autoPanOnFocus: false}),
        at: function () { return map.latLngToContainerPoint(t.dot.getLatLng()); },
        shown: function () { return map.hasLayer(t.dot); },
        open: function () { t.dot.openPopup(); }
      };
      t.hit = item.marker;
      roving.items.push(item);
      roving.current = roving.current || item;
      item.marker.on("keydown", function (e) { roveKey(item, e); });
      activate(item);
      item.marker.addTo(tgroup);
    });
    // Labelled targets keep their place first when dots are set apart.
    targets.sort(function (a, b) { return (b.labelled ? 1 : 0) - (a.labelled ? 1 : 0); });
    control.addOverlay(tgroup.addTo(map), data.targets.name);
    if (data.slider || targets.some(function (t) { return t.labelled; })) {
      control.addOverlay(labelGroup.addTo(map), data.targets.labels);
    }
  }
  function labelOf(t) {
    if (!t.label) {
      t.label = L.marker(t.dot.getLatLng(), {
        icon: L.divIcon({className: "tc-label", html: t.name, iconSize: null}),
        pane: "tcLabels", interactive: false, keyboard: false
      });
    }
    return t.label;
  }
  // Show the labels of the targets that pass `test`, nearest first.
  var labels = [];
  function showLabels(test) {
    labels = [];
    targets.forEach(function (t) {
      var want = test(t);
      var has = !!t.label && labelGroup.hasLayer(t.label);
      if (want && !has) { labelGroup.addLayer(labelOf(t)); }
      if (!want && has) { labelGroup.removeLayer(t.label); }
      if (want) { labels.push(t); }
    });
    labels.sort(nearFirst);
  }
  showLabels(function (t) { return t.labelled; });

  // ------------------------------------------------------------------ sites
  // A symbol per kind (launch, defence, garrison), set apart when close.
  var pins = [];
  data.sites.forEach(function (set) {
    var group = L.featureGroup();
    // The symbol is drawn at its size, centred in a hit area of at least data.hit px.
    var box = Math.max(set.size, data.hit);
    set.points.forEach(function (p) {
      var icon = L.divIcon({className: "tc-site tc-site-" + set.kind, html: set.symbol,
                            iconSize: [box, box], iconAnchor: [box / 2, box / 2]});
      var marker = L.marker([p.lat, p.lon], {icon: icon, pane: "tcSites", alt: p.alt,
                                             title: p.alt, riseOnHover: true,
                                             autoPanOnFocus: false});
      var popup = newPopup(p.popup);
      var pin = {marker: marker, dx: p.offset[0], dy: p.offset[1], size: set.size, box: box,
                 shownAt: null};
      activate({
        marker: marker,
        at: function () {
          return pin.shownAt || map.latLngToContainerPoint(marker.getLatLng());
        },
        shown: function () { return map.hasLayer(marker); },
        open: function () { popup.setLatLng(marker.getLatLng()).openOn(map); }
      });
      marker.addTo(group);
      pins.push(pin);
    });
    control.addOverlay(group.addTo(map), set.name);
  });
  control.addTo(map);
  keyboardLayers();

  // ------------------------------------------------------------------ the first view
  // The scene's view, fitted into the largest room the controls leave.
  function fit() {
    var view = L.latLngBounds(data.view);
    var nw = map.project(view.getNorthWest(), 0);
    var se = map.project(view.getSouthEast(), 0);
    var vw = Math.max(se.x - nw.x, 1e-9);
    var vh = Math.max(se.y - nw.y, 1e-9);
    var size = map.getSize();
    var r = room(function (w, h) { return Math.min(w / vw, h / vh); });
    if (!r || r.right - r.left < 120 || r.bottom - r.top < 120) {
      r = {left: 10, top: 10, right: size.x - 10, bottom: size.y - 10};
    }
    map.fitBounds(view, {paddingTopLeft: [r.left, r.top],
                         paddingBottomRight: [size.x - r.right, size.y - r.bottom],
                         animate: false});
  }

  // ------------------------------------------------------------------ placing
  function overlaps(a, list) {
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
        return true;
      }
    }
    return false;
  }
  // Points kept in a grid of cells of `cell` px, to find the near ones quickly.
  function Grid(cell) {
    var cells = {};
    var key = function (x, y) { return Math.floor(x / cell) + "," + Math.floor(y / cell); };
    this.add = function (q, what) {
      var k = key(q.x, q.y);
      (cells[k] = cells[k] || []).push({q: q, what: what});
    };
    // Each point within `radius` px of q (radius at most `cell` looks at nine cells);
    // `square`: apart along x or y (square hit areas), not only on the diagonal.
    this.near = function (q, radius, visit, square) {
      var reach = Math.ceil(radius / cell);
      var cx = Math.floor(q.x / cell);
      var cy = Math.floor(q.y / cell);
      for (var i = -reach; i <= reach; i++) {
        for (var j = -reach; j <= reach; j++) {
          var list = cells[(cx + i) + "," + (cy + j)] || [];
          for (var k = 0; k < list.length; k++) {
            var o = list[k].q;
            var d = square ? Math.max(Math.abs(o.x - q.x), Math.abs(o.y - q.y)) : o.distanceTo(q);
            if (d < radius && visit(list[k]) === false) { return; }
          }
        }
      }
    };
  }
  function crowded(grid, q, radius, square) {
    var found = false;
    grid.near(q, radius, function () { found = true; return false; }, square);
    return found;
  }
  // Target dots closer than data.dotSeparation px are fanned out around their place, so
  // that each can be hovered and clicked; returns the dots in view.
  function placeDots(taken) {
    var size = map.getSize();
    var dotSep = data.dotSeparation;
    var grid = new Grid(dotSep);
    var dots = new Grid(32);
    targets.forEach(function (t) {
      if (t.hidden) { return; }  // not judged on the date shown (the date control)
      var p = map.latLngToContainerPoint(t.home);
      var q = p;
      // One ring of six places around the dot at most: a crowd of dots (Europe at
      // world zoom) stays where it is rather than spread far from its places.
      for (var k = 1; k < 7 && crowded(grid, q, dotSep); k++) {
        var a = -Math.PI / 2 + (k - 1) * Math.PI / 3;
        q = L.point(p.x + dotSep * Math.cos(a), p.y + dotSep * Math.sin(a));
      }
      if (crowded(grid, q, dotSep)) { q = p; }
      grid.add(q, t);
      var where = q === p ? t.home : map.containerPointToLatLng(q);
      [t.dot, t.hit, t.label].forEach(function (marker) {
        // Only when it moves: moving a dot moves its open popup, and pans the map to it.
        if (marker && !marker.getLatLng().equals(where)) { marker.setLatLng(where); }
      });
      if (q.x > -50 && q.y > -50 && q.x < size.x + 50 && q.y < size.y + 50) {
        dots.add(q, t);
        taken.push({x: q.x - 5, y: q.y - 5, w: 10, h: 10});
      }
    });
    return dots;
  }
  // Pins closer than data.spacing px (WCAG 2.2 target spacing) are fanned out; they
  // keep clear of target dots too.
  function placePins(dots, taken) {
    var sep = Math.max(data.separation, data.spacing);
    var placed = new Grid(sep);
    targets.forEach(function (t) {
      if (map.hasLayer(t.dot)) { placed.add(map.latLngToContainerPoint(t.dot.getLatLng())); }
    });
    pins.forEach(function (pin) {
      var el = pin.marker.getElement();
      pin.shownAt = null;
      if (!el || !map.hasLayer(pin.marker)) { return; }
      var p = map.latLngToContainerPoint(pin.marker.getLatLng());
      var q = L.point(p.x + pin.dx, p.y + pin.dy);
      for (var k = 1; k < 19 && crowded(placed, q, sep, true); k++) {
        var a = -Math.PI / 2 + (k - 1) * Math.PI / 3;
        var radius = sep * Math.ceil(k / 6);
        q = L.point(p.x + pin.dx + radius * Math.cos(a), p.y + pin.dy + radius * Math.sin(a));
      }
      placed.add(q);
      pin.shownAt = q;
      el.style.marginLeft = (q.x - p.x - pin.box / 2) + "px";
      el.style.marginTop = (q.y - p.y - pin.box / 2) + "px";
      taken.push({x: q.x - pin.size / 2, y: q.y - pin.size / 2, w: pin.size, h: pin.size});
    });
  }
  function gapTo(r, q) {
    var dx = Math.max(r.x - q.x, 0, q.x - (r.x + r.w));
    var dy = Math.max(r.y - q.y, 0, q.y - (r.y + r.h));
    return Math.sqrt(dx * dx + dy * dy);
  }
  // A label reads as its own dot's when it is nearer to that dot than to any other.
  function owns(r, t, p, dots) {
    var own = gapTo(r, p);
    var ok = true;
    var centre = L.point(r.x + r.w / 2, r.y + r.h / 2);
    dots.near(centre, Math.max(r.w, r.h) + own + 4, function (d) {
      if (d.what !== t && gapTo(r, d.q) <= own + 2) { ok = false; return false; }
      return true;
    });
    return ok;
  }
  // Each label goes to the first place beside its dot that overlaps no other label, pin
  // or dot and lies nearer to its own dot than to any other (nearest targets first).
  function placeLabels(dots, taken) {
    if (!map.hasLayer(labelGroup)) { return; }
    // Names keep off the controls and inside the map.
    controlBoxes().forEach(function (b) {
      taken.push({x: b.left, y: b.top, w: b.right - b.left, h: b.bottom - b.top});
    });
    var size = map.getSize();
    var inMap = function (r) {
      return r.x >= 0 && r.y >= 0 && r.x + r.w <= size.x && r.y + r.h <= size.y;
    };
    labels.forEach(function (t) {
      var el = t.label.getElement();
      if (!el) { return; }
      var p = map.latLngToContainerPoint(t.label.getLatLng());
      var size = el.getBoundingClientRect();
      var w = Math.ceil(size.width) + 1;
      var h = Math.ceil(size.height) + 1;
      var spots = [[8, -h / 2], [-8 - w, -h / 2], [-w / 2, -h - 6], [-w / 2, 6],
                   [6, -h - 2], [-6 - w, -h - 2], [6, 2], [-6 - w, 2],
                   [8, -h + 2], [8, -2], [-8 - w, -h + 2], [-8 - w, -2],
                   [-w + 8, -h - 6], [-8, -h - 6], [-w + 8, 6], [-8, 6]];
      var best = null;
      for (var i = 0; i < spots.length && !best; i++) {
        var r = {x: p.x + spots[i][0], y: p.y + spots[i][1], w: w, h: h};
        if (inMap(r) && !overlaps(r, taken) && owns(r, t, p, dots)) { best = spots[i]; }
      }
      // Where no place will do (a continent of capitals at world zoom, a dot by the edge
      // or under a control), the name waits for a closer zoom or a pan: it stays in the
      // pane, hidden, and on hover.
      el.style.visibility = best ? "" : "hidden";
      if (!best) { return; }
      el.style.marginLeft = best[0] + "px";
      el.style.marginTop = best[1] + "px";
      taken.push({x: p.x + best[0], y: p.y + best[1], w: w, h: h});
    });
  }
  function place() {
    var taken = [];
    var dots = placeDots(taken);
    placePins(dots, taken);
    placeLabels(dots, taken);
  }
  layoutBar();

  // ------------------------------------------------------------------ the range bar
  // Counts by the exact distances shipped with each target; moves the ring, the colours
  // and the labels as it is dragged.
  var slider = data.slider;
  var input = document.getElementById("tc-range");
  // On a timeline's map, the step the date control shows (its total and the targets
  // needed that day) and the range bar's redraw, which the date control calls.
  var dateStep = null;
  var rangeBar = null;
  if (slider && input) {
    var out = document.getElementById("tc-range-out");
    var ringGroup = L.featureGroup().addTo(map);
    var inRange = function (km) {
      return function (t) { return !t.hidden && t.need !== null && t.need <= km; };
    };
    var say = function (km) {
      var n = targets.filter(inRange(km)).length;
      var total = dateStep ? dateStep.total : slider.total;
      var required = dateStep ? dateStep.required : slider.required;
      // "N of M at X km", as the headline says it; #tc-range-out is a polite live region.
      out.textContent = n + " of " + total + " at " +
        km.toLocaleString("en-US") + " km in range: the claim " +
        (n >= required ? "holds" : "fails") + " (" + required + " needed)";
    };
    var update = function () {
      var km = parseFloat(input.value);
      var inside = inRange(km);
      targets.forEach(function (t) {
        t.dot.setStyle(inside(t) ? slider.styles["in"] : slider.styles.out);
      });
      showLabels(inside);
      ringGroup.clearLayers();
      var i = Math.round(km / slider.step) - 1;
      var ring = i >= 0 && i < slider.rings.length ? slider.rings[i] : null;
      if (ring) { ring.forEach(function (part) { geoJson(part, ringGroup); }); }
      say(km);
      place();
    };
    input.addEventListener("input", update);
    say(parseFloat(input.value));
    layoutBar();
    rangeBar = {
      moved: function () { return input.value !== input.defaultValue; },
      update: update,
      say: function () { say(parseFloat(input.value)); }
    };
  }
  fit();
  place();
  tuneAll();
  map.on("zoomend viewreset moveend", place);
  map.on("overlayadd", place);
  map.on("resize", function () { layoutBar(); tuneAll(); place(); });
  if (details) { details.addEventListener("toggle", tuneAll); }

  // ------------------------------------------------------------------ keyboard
  // The layer list opens with Enter or Space on its button, moves the focus into the
  // list, and closes when the focus leaves it or on Escape.
  function keyboardLayers() {
    var box = control.getContainer();
    var toggle = box.querySelector(".leaflet-control-layers-toggle");
    if (!narrow || !toggle) { return; }
    toggle.setAttribute("aria-label", "Layers");
    toggle.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" && e.key !== " ") { return; }
      e.preventDefault();
      control.expand();
      var first = box.querySelector("input");
      if (first) { first.focus(); }
    });
    box.addEventListener("focusout", function (e) {
      if (!box.contains(e.relatedTarget)) { control.collapse(); }
    });
  }
  function layersOpen() {
    var box = control.getContainer();
    return narrow && box.classList.contains("leaflet-control-layers-expanded") ? box : null;
  }
  // Escape closes, in turn, a popup (the focus goes back to its target), the layer list
  // and the panel (the focus goes to its toggle).
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" && e.key !== "Esc") { return; }
    var list = layersOpen();
    if (map._popup && map.hasLayer(map._popup)) {
      map.closePopup();
      if (opener && document.contains(opener)) { opener.focus(); }
    } else if (list) {
      control.collapse();
      list.querySelector(".leaflet-control-layers-toggle").focus();
    } else if (details && details.open) {
      details.open = false;
      details.querySelector("summary").focus();
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
  }, true);


  // ------------------------------------------------------------------ date
  // The date control (a timeline's map): each step says which site pins stand, which
  // targets are judged that day and their state (a state that joins or leaves the
  // definition appears or disappears), and gives its text (what changed, the counts per
  // figure), all computed in Python.
  var timeline = data.timeline;
  var dateInput = document.getElementById("tc-date");
  if (timeline && dateInput) {
    var dateOut = document.getElementById("tc-date-out");
    var current = function () { return timeline.steps[parseInt(dateInput.value, 10)]; };
    // A target not judged that day leaves the map (dot, hit area, label); the others
    // take that day's mark.
    var showTargets = function () {
      var step = current();
      if (!step || !step.targets || !tgroup) { return; }
      targets.forEach(function (t) {
        var state = step.targets[t.index];
        t.hidden = state === null || state === undefined;
        [t.dot, t.hit].forEach(function (layer) {
          if (!layer) { return; }
          if (t.hidden && tgroup.hasLayer(layer)) { tgroup.removeLayer(layer); }
          if (!t.hidden && !tgroup.hasLayer(layer)) { tgroup.addLayer(layer); }
        });
        if (t.hidden) { return; }
        t.state = state;
        t.dot.setStyle(timeline.styles[state]);
        var el = t.dot.getElement();
        if (el) {
          el.setAttribute("class", el.getAttribute("class")
            .replace(/tc-target-(all|some|none)/, "tc-target-" + state));
        }
      });
      // The Tab stop of the targets stays on one on the map.
      var onMap = roving.items.filter(function (it) { return it.marker.getElement(); });
      if (onMap.length && onMap.indexOf(roving.current) < 0) { rove(onMap[0]); }
      dateStep = step;
      if (rangeBar && rangeBar.moved()) {
        rangeBar.update();  // a range asked for keeps its colours, counted that day
        return;
      }
      showLabels(function (t) { return t.labelled && !t.hidden; });
      if (rangeBar) { rangeBar.say(); }
      place();
    };
    // Pins not standing that day are hidden (and so out of the accessibility tree).
    var showPins = function () {
      var step = current();
      if (!step) { return; }
      pins.forEach(function (pin, i) {
        var el = pin.marker.getElement();
        if (el) { el.style.display = step.sites[i] === false ? "none" : ""; }
      });
    };
    // #tc-date-out is a polite live region: written when the date changes, not on zoom.
    var showStep = function () {
      var step = current();
      if (!step) { return; }
      showPins();
      showTargets();
      dateInput.setAttribute("aria-valuetext", step.date);
      dateOut.textContent = step.text;
    };
    dateInput.addEventListener("input", showStep);
    map.on("overlayadd zoomend", showPins);
    showPins();
    showTargets();
  }

  // ------------------------------------------------------------------ print
  // The map on the page with every envelope inside, the panel below it.
  var before = function () { if (details) { details.open = true; } };
  var refit = function () {
    map.invalidateSize({animate: false});
    layoutBar();
    fit();
    place();
    tuneAll();
  };
  if (printQuery) {
    var onChange = function (e) {
      if (e.matches) { before(); }
      refit();
    };
    if (printQuery.addEventListener) { printQuery.addEventListener("change", onChange); }
    else if (printQuery.addListener) { printQuery.addListener(onChange); }
  }
  window.addEventListener("beforeprint", function () { before(); refit(); });
  window.addEventListener("afterprint", refit);
})
