// threat-coverage: the page's payload (coverage.render.leaflet, "packed geometry").
// A constant, like page.js, which calls tcPayload.open(map, data) on the parsed
// document #tc-data before drawing it.
// - Geometry arrives packed: {q: Q, polygons: [...]} or {q: Q, lines: [...]}, one list
//   per feature; a ring or line is [x0*Q, y0*Q, dx1, dy1, ...] (integers, longitude
//   first), and a ring repeats its first position to close. Unpacked, it is the same
//   GeoJSON, number for number, that the Python side holds.
// - The page holds the borders of data.region only (the first view with room to zoom
//   out, and everything drawn), so the view stays inside it and a reader zooms out only
//   as far as it fills the map: never into a blank world.
var tcPayload = (function () {
  "use strict";
  function positions(flat, q, closed) {
    var out = [];
    var x = 0;
    var y = 0;
    for (var i = 0; i + 1 < flat.length; i += 2) {
      x += flat[i];
      y += flat[i + 1];
      out.push([x / q, y / q]);
    }
    if (closed && out.length) { out.push(out[0].slice()); }
    return out;
  }
  function geometry(parts, q, polygons) {
    var coordinates = parts.map(function (part) {
      return polygons ? part.map(function (ring) { return positions(ring, q, true); })
        : positions(part, q, false);
    });
    var type = polygons ? "Polygon" : "LineString";
    if (coordinates.length === 1) { return {type: type, coordinates: coordinates[0]}; }
    return {type: "Multi" + type, coordinates: coordinates};
  }
  function unpack(packed) {
    var polygons = !!packed.polygons;
    var features = (packed.polygons || packed.lines).map(function (parts) {
      return {type: "Feature", properties: {}, geometry: geometry(parts, packed.q, polygons)};
    });
    return {type: "FeatureCollection", features: features};
  }
  function walk(value) {
    if (Array.isArray(value)) { return value.map(walk); }
    if (!value || typeof value !== "object") { return value; }
    if (typeof value.q === "number" && (value.polygons || value.lines)) { return unpack(value); }
    var out = {};
    Object.keys(value).forEach(function (key) { out[key] = walk(value[key]); });
    return out;
  }
  function keepInside(map, data) {
    if (!data.region) { return; }
    var region = L.latLngBounds(data.region);
    var view = L.latLngBounds(data.view);
    map.setMaxBounds(region);
    var clamp = function () {
      var zoom = map.getBoundsZoom(region, true);
      if (!isFinite(zoom)) { return; }
      // Not through setMinZoom's own zoom, which animates and would undo the page's fit.
      if (map.getZoom() < zoom) { map.setView(map.getCenter(), zoom, {animate: false}); }
      map.setMinZoom(zoom);
    };
    clamp();
    map.on("resize", clamp);
  }
  return {
    // The document unpacked, nothing else (for tests and tools).
    decode: walk,
    open: function (map, data) {
      var out = walk(data);
      keepInside(map, out);
      return out;
    }
  };
})();
