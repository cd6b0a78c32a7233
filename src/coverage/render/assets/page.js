// threat-coverage: the Leaflet page's own script (coverage.render.leaflet).
// A constant: it reads the JSON document #tc-data and draws it; nothing from data
// is ever part of this file. The page calls it with folium's map object.
(function (map) {
  "use strict";
  var data = JSON.parse(document.getElementById("tc-data").textContent);
  // The basemap and the labels (the names are in the table #tc-table) are decoration
  // for assistive technology; the map's element is described by #tc-alt.
  var basePane = map.createPane("tcBase");
  basePane.style.zIndex = 350;
  basePane.setAttribute("aria-hidden", "true");
  map.createPane("tcPoints").style.zIndex = 450;
  map.createPane("tcSites").style.zIndex = 620;
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
  window.threatCoverageMap = map;
  if (map.attributionControl) {
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  }
  var panel = document.getElementById("tc-panel");
  var details = panel ? panel.querySelector("details") : null;
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
  function panelBox() {
    if (!panel || printing()) { return null; }
    return panel.getBoundingClientRect();
  }
  var popupOptions = {maxWidth: 380, autoPanPaddingTopLeft: L.point(10, 10)};
  map.on("popupopen", function () {
    var r = panelBox();
    popupOptions.autoPanPaddingTopLeft = r && !narrow ? L.point(r.right + 10, 10)
      : L.point(10, r ? r.bottom + 10 : 10);
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
  // Targets: marks by state; names of those in range shown permanently as labels.
  var targets = [];
  var labels = [];
  var labelGroup = L.featureGroup();
  if (data.targets) {
    var tgroup = L.featureGroup([], data.targets.attribution
      ? {attribution: data.targets.attribution} : {});
    data.targets.points.forEach(function (p) {
      var marker = new TargetMark([p.lat, p.lon], p.style);
      marker.bindTooltip(p.name, {direction: "top"});
      marker.bindPopup(p.popup, popupOptions);
      marker.addTo(tgroup);
      var entry = {marker: marker, need: p.need, state: p.state, home: L.latLng(p.lat, p.lon),
                   label: null};
      if (p.label) {
        var label = L.marker([p.lat, p.lon], {
          icon: L.divIcon({className: "tc-label", html: p.name, iconSize: null}),
          pane: "tcLabels", interactive: false, keyboard: false
        });
        label.addTo(labelGroup);
        labels.push({marker: label, need: p.need});
        entry.label = label;
      }
      targets.push(entry);
    });
    // Labelled targets keep their place first when dots are set apart; the nearest
    // targets are named first.
    targets.sort(function (a, b) { return (b.label ? 1 : 0) - (a.label ? 1 : 0); });
    var nearFirst = function (a, b) {
      return (a.need === null ? Infinity : a.need) - (b.need === null ? Infinity : b.need);
    };
    labels.sort(nearFirst);
    control.addOverlay(tgroup.addTo(map), data.targets.name);
    if (labels.length) { control.addOverlay(labelGroup.addTo(map), data.targets.labels); }
  }
  // Sites: a symbol per kind (launch, defence, garrison), set apart when close.
  var pins = [];
  data.sites.forEach(function (set) {
    var group = L.featureGroup();
    // The symbol is drawn at its size, centred in a hit area of at least data.hit px.
    var box = Math.max(set.size, data.hit);
    set.points.forEach(function (p) {
      var half = box / 2;
      var icon = L.divIcon({className: "tc-site tc-site-" + set.kind, html: set.symbol,
                            iconSize: [box, box], iconAnchor: [half, half]});
      var marker = L.marker([p.lat, p.lon], {icon: icon, pane: "tcSites", alt: p.alt,
                                             title: p.alt, riseOnHover: true});
      marker.bindPopup(p.popup, popupOptions);
      marker.addTo(group);
      pins.push({marker: marker, dx: p.offset[0], dy: p.offset[1], size: set.size, box: box});
    });
    control.addOverlay(group.addTo(map), set.name);
  });
  control.addTo(map);

  function fit() {
    var r = panelBox();
    var topLeft = [10, 10];
    var bottomRight = [10, 24];
    if (r && narrow) {
      topLeft = [10, r.bottom + 8];
    } else if (r) {
      topLeft = [r.right + 10, 10];
    }
    var att = map.attributionControl && map.attributionControl.getContainer();
    if (att && att.offsetHeight) { bottomRight[1] = Math.max(24, att.offsetHeight + 6); }
    var c = control.getContainer();
    if (!printing() && !narrow && c && c.offsetWidth) {
      bottomRight[0] = c.offsetWidth + 20;
    }
    var size = map.getSize();
    if (size.x - topLeft[0] - bottomRight[0] < 120) { topLeft[0] = 10; bottomRight[0] = 10; }
    if (size.y - topLeft[1] - bottomRight[1] < 120) { topLeft[1] = 10; bottomRight[1] = 10; }
    map.fitBounds(data.view, {paddingTopLeft: topLeft, paddingBottomRight: bottomRight,
                              animate: false});
  }

  function overlaps(a, list) {
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
        return true;
      }
    }
    return false;
  }
  // Pins closer than data.separation px are fanned out; labels are placed beside their
  // target where they overlap no other label or pin (display only).
  function place() {
    var taken = [];
    // Pins' hit areas (data.hit px) do not overlap: WCAG 2.2 target size.
    var sep = Math.max(data.separation, data.hit);
    var size = map.getSize();
    var dots = [];
    // Target dots closer than data.dotSeparation px are fanned out around their place,
    // so that each can be hovered and clicked (a grid of cells finds the close ones).
    var dotSep = data.dotSeparation;
    var cells = {};
    var near = function (q) {
      var cx = Math.floor(q.x / dotSep);
      var cy = Math.floor(q.y / dotSep);
      for (var i = -1; i <= 1; i++) {
        for (var j = -1; j <= 1; j++) {
          var list = cells[(cx + i) + "," + (cy + j)] || [];
          for (var k = 0; k < list.length; k++) {
            if (list[k].distanceTo(q) < dotSep) { return true; }
          }
        }
      }
      return false;
    };
    targets.forEach(function (t) {
      var p = map.latLngToContainerPoint(t.home);
      var q = p;
      // One ring of six places around the dot at most: a crowd of dots (Europe at
      // world zoom) stays where it is rather than spread far from its places.
      for (var k = 1; k < 7 && near(q); k++) {
        var a = -Math.PI / 2 + (k - 1) * Math.PI / 3;
        q = L.point(p.x + dotSep * Math.cos(a), p.y + dotSep * Math.sin(a));
      }
      if (near(q)) { q = p; }
      var key = Math.floor(q.x / dotSep) + "," + Math.floor(q.y / dotSep);
      (cells[key] = cells[key] || []).push(q);
      var where = q === p ? t.home : map.containerPointToLatLng(q);
      t.marker.setLatLng(where);
      if (t.label) { t.label.setLatLng(where); }
      if (q.x > -50 && q.y > -50 && q.x < size.x + 50 && q.y < size.y + 50) {
        dots.push(q);
        taken.push({x: q.x - 5, y: q.y - 5, w: 10, h: 10});
      }
    });
    // Pins keep clear of other pins and of target dots: a grid of cells of sep px
    // holds what is placed, and each pin looks at the nine cells around it, not at
    // every dot and pin (a map of thousands of sites stays fast).
    var placed = {};
    var cellOf = function (q) { return [Math.floor(q.x / sep), Math.floor(q.y / sep)]; };
    var keep = function (q) {
      var c = cellOf(q);
      var key = c[0] + "," + c[1];
      (placed[key] = placed[key] || []).push(q);
    };
    var crowded = function (q) {
      var c = cellOf(q);
      for (var i = -1; i <= 1; i++) {
        for (var j = -1; j <= 1; j++) {
          var list = placed[(c[0] + i) + "," + (c[1] + j)] || [];
          for (var k = 0; k < list.length; k++) {
            // Square hit areas: apart along x or y, not only on the diagonal.
            var d = list[k];
            if (Math.max(Math.abs(d.x - q.x), Math.abs(d.y - q.y)) < sep) { return true; }
          }
        }
      }
      return false;
    };
    dots.forEach(keep);
    pins.forEach(function (pin) {
      var el = pin.marker.getElement();
      if (!el || !map.hasLayer(pin.marker)) { return; }
      var p = map.latLngToContainerPoint(pin.marker.getLatLng());
      var q = L.point(p.x + pin.dx, p.y + pin.dy);
      for (var k = 1; k < 19 && crowded(q); k++) {
        var a = -Math.PI / 2 + (k - 1) * Math.PI / 3;
        var radius = sep * Math.ceil(k / 6);
        q = L.point(p.x + pin.dx + radius * Math.cos(a), p.y + pin.dy + radius * Math.sin(a));
      }
      keep(q);
      el.style.marginLeft = (q.x - p.x - pin.box / 2) + "px";
      el.style.marginTop = (q.y - p.y - pin.box / 2) + "px";
      taken.push({x: q.x - pin.size / 2, y: q.y - pin.size / 2, w: pin.size, h: pin.size});
    });
    labels.forEach(function (item) {
      var label = item.marker;
      var el = label.getElement();
      if (!el) { return; }
      var p = map.latLngToContainerPoint(label.getLatLng());
      var size = el.getBoundingClientRect();
      var w = Math.ceil(size.width) + 1;
      var h = Math.ceil(size.height) + 1;
      var spots = [[8, -h / 2], [-8 - w, -h / 2], [-w / 2, -h - 6], [-w / 2, 6],
                   [6, -h - 2], [-6 - w, -h - 2], [6, 2], [-6 - w, 2],
                   [8, -1.5 * h - 4], [8, 0.5 * h + 4], [-8 - w, -1.5 * h - 4],
                   [-8 - w, 0.5 * h + 4], [-w / 2, -2 * h - 8], [-w / 2, h + 8]];
      var best = null;
      for (var i = 0; i < spots.length; i++) {
        var r = {x: p.x + spots[i][0], y: p.y + spots[i][1], w: w, h: h};
        if (!overlaps(r, taken)) { best = spots[i]; break; }
      }
      // Where every spot overlaps (a continent of capitals at world zoom), the name
      // waits for a closer zoom: it stays in the pane, hidden, and on hover.
      el.style.visibility = best ? "" : "hidden";
      if (!best) { return; }
      el.style.marginLeft = best[0] + "px";
      el.style.marginTop = best[1] + "px";
      taken.push({x: p.x + best[0], y: p.y + best[1], w: w, h: h});
    });
  }
  fit();
  place();
  map.on("zoomend viewreset", place);
  map.on("overlayadd", place);

  // The range control: counts by the exact distances shipped with each target.
  var slider = data.slider;
  var input = document.getElementById("tc-range");
  if (slider && input) {
    var out = document.getElementById("tc-range-out");
    var ringGroup = L.featureGroup().addTo(map);
    var count = function (km) {
      return targets.filter(function (t) { return t.need !== null && t.need <= km; }).length;
    };
    var say = function (km) {
      var n = count(km);
      // "N of M at X km", as the headline says it; #tc-range-out is a polite live region.
      out.textContent = n + " of " + slider.total + " at " +
        km.toLocaleString("en-US") + " km in range: the claim " +
        (n >= slider.required ? "holds" : "fails") + " (" + slider.required + " needed)";
    };
    var update = function () {
      var km = parseFloat(input.value);
      targets.forEach(function (t) {
        var inside = t.need !== null && t.need <= km;
        t.marker.setStyle(inside ? slider.styles["in"] : slider.styles.out);
      });
      ringGroup.clearLayers();
      var i = Math.round(km / slider.step) - 1;
      var ring = i >= 0 && i < slider.rings.length ? slider.rings[i] : null;
      if (ring) { ring.forEach(function (part) { geoJson(part, ringGroup); }); }
      say(km);
    };
    input.addEventListener("input", update);
    say(parseFloat(input.value));
  }

  // The date control (a timeline's map): each step says which site pins stand and
  // gives its text (what changed, the counts per figure), all computed in Python.
  var timeline = data.timeline;
  var dateInput = document.getElementById("tc-date");
  if (timeline && dateInput) {
    var dateOut = document.getElementById("tc-date-out");
    var current = function () { return timeline.steps[parseInt(dateInput.value, 10)]; };
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
      dateInput.setAttribute("aria-valuetext", step.date);
      dateOut.textContent = step.text;
    };
    dateInput.addEventListener("input", showStep);
    map.on("overlayadd zoomend", showPins);
    showPins();
  }

  // Print: the map on the page with every envelope inside, the panel below it.
  var before = function () { if (details) { details.open = true; } };
  var refit = function () { map.invalidateSize({animate: false}); fit(); place(); };
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
