/* mapapp: draws the data the page carries as JSON onto a Leaflet map.
 *
 * Python writes one call per element, e.g. mapapp.features(group, {...}),
 * with data serialised as JSON.  Text from the data (names, summaries,
 * claims, citations) is only ever set with textContent, inside <bdi> so a
 * right-to-left override cannot flip the words around it.  The one kind of
 * markup parsed here is the symbol SVG that mapapp.styles draws from its own
 * tables (never from data).
 */
(function () {
  'use strict';

  var mapapp = window.mapapp = window.mapapp || {};

  // -- building blocks -----------------------------------------------------

  function el(tag, className) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    return node;
  }

  // Data text, isolated for bidi, as a text node (never markup).
  function text(parent, value) {
    var bdi = document.createElement('bdi');
    bdi.textContent = value === undefined || value === null ? '' : String(value);
    parent.appendChild(bdi);
    return bdi;
  }

  function line(parent, tag, className, value) {
    var node = el(tag, className);
    text(node, value);
    parent.appendChild(node);
    return node;
  }

  function label(parent, words) {
    var b = el('b');
    b.textContent = words;
    parent.appendChild(b);
    parent.appendChild(document.createTextNode(' '));
  }

  var templates = {};

  // Symbol markup from mapapp.styles, parsed once, one fresh copy per use.
  function symbol(markup) {
    var t = templates[markup];
    if (!t) {
      t = templates[markup] = document.createElement('template');
      t.innerHTML = markup;
    }
    return t.content.firstElementChild.cloneNode(true);
  }
  mapapp.symbol = symbol;

  function list(parent, heading, items) {
    if (!items || !items.length) { return; }
    line(parent, 'h5', '', heading);
    var ul = el('ul');
    items.forEach(function (item) { line(ul, 'li', '', item); });
    parent.appendChild(ul);
  }

  // -- tooltip and popup ---------------------------------------------------

  // Name, what and status; a name `only` for a tooltip kept on show, which
  // should cover as little of the map (and of its neighbours) as it can.
  function tooltip(p, only) {
    var box = el('div', 'mapapp-tip');
    line(box, 'b', 'mapapp-tip-name', p.name);
    if (!only) {
      line(box, 'span', 'mapapp-status', p.type_label + ' \u00b7 ' + p.status_label);
    }
    return box;
  }
  mapapp.tooltip = tooltip;

  /* A short popup: name, what, status and date; everything else (summary,
   * who says what, figures, source, how it was located) folded under
   * "More", which scrolls inside the popup.  `note` (mapapp.features'
   * o.details_note), given when the page has a details panel of its own,
   * points there instead of folding in a copy. */
  function popup(p, note) {
    var box = el('div', 'mapapp-popup-body mapapp-popup-' + p.css_id);
    line(box, 'h4', '', p.name);
    var meta = el('div', 'mapapp-meta');
    text(meta, p.type_label);
    meta.appendChild(document.createTextNode(' \u00b7 '));
    label(meta, 'Status:');
    text(meta, p.status_label);
    box.appendChild(meta);
    var when = el('div', 'mapapp-when');
    label(when, 'Event date:');
    text(when, p.event_date || 'not given');
    box.appendChild(when);
    if (p.as_of) { line(box, 'div', 'mapapp-approx', p.as_of); }
    if (note) {
      line(box, 'div', 'mapapp-details-note', note);
      return box;
    }
    var more = el('details', 'mapapp-more');
    var summary = el('summary');
    summary.textContent = 'More';
    more.appendChild(summary);
    if (p.summary) { line(more, 'p', 'mapapp-summary', p.summary); }
    var dates = el('dl');
    var dt = el('dt');
    dt.textContent = 'Report date';
    dates.appendChild(dt);
    line(dates, 'dd', '', p.report_date || 'not given');
    more.appendChild(dates);
    list(more, 'Who says what', p.claims);
    list(more, 'Figures', p.figures);
    if (p.part_of_name) {
      var head = el('h5');
      head.appendChild(document.createTextNode('Part of: '));
      text(head, p.part_of_name);
      more.appendChild(head);
      if (p.part_of_figures && p.part_of_figures.length) {
        var ul = el('ul');
        p.part_of_figures.forEach(function (item) { line(ul, 'li', '', item); });
        more.appendChild(ul);
      }
    }
    var cite = el('div', 'mapapp-cite');
    label(cite, 'Source:');
    text(cite, p.citation);
    more.appendChild(cite);
    var loc = el('div', 'mapapp-loc');
    label(loc, 'Located:');
    text(loc, p.location);
    more.appendChild(loc);
    box.appendChild(more);
    return box;
  }
  mapapp.popup = popup;

  // -- popups that fit the map ---------------------------------------------

  // Room (px) kept between a popup and the map's edge or a control.
  var POPUP_GAP = 8;
  // Popup chrome around the content: Leaflet's content margins (map.css),
  // the wrapper's border, and below it the tip (20 px of margin).
  var POPUP_CHROME = {x: 2 * 12 + 2, y: 2 * 10 + 2, tip: 20};
  var POPUP_WIDTH = [180, 320];
  // How far (share of the map's height) the map may move to make room.
  var POPUP_PAN_MAX = 0.3;

  function hits(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }

  // The map's controls (zoom, layers, legend, scale, credits) as boxes in
  // the map's pixels, widened by the gap: they are drawn over popups.
  function controlBoxes(map) {
    var origin = map.getContainer().getBoundingClientRect(), boxes = [];
    map.getContainer().querySelectorAll('.leaflet-control').forEach(function (node) {
      var r = node.getBoundingClientRect();
      if (r.width && r.height) {
        boxes.push([r.left - origin.left - POPUP_GAP, r.top - origin.top - POPUP_GAP,
                    r.right - origin.left + POPUP_GAP, r.bottom - origin.top + POPUP_GAP]);
      }
    });
    return boxes;
  }

  // The tallest free span (px) a column `w` wide has anywhere on the map,
  // between the map's edges and its controls.
  function tallestSpan(size, boxes, w) {
    var xs = [POPUP_GAP, size.x - POPUP_GAP - w], best = 0;
    boxes.forEach(function (b) { xs.push(b[2], b[0] - w); });
    xs.forEach(function (x) {
      if (x < POPUP_GAP || x + w > size.x - POPUP_GAP) { return; }
      var cuts = [[-Infinity, POPUP_GAP], [size.y - POPUP_GAP, Infinity]];
      boxes.forEach(function (b) { if (b[0] < x + w && x < b[2]) { cuts.push([b[1], b[3]]); } });
      cuts.sort(function (a, b) { return a[0] - b[0]; });
      var reach = cuts[0][1];
      cuts.slice(1).forEach(function (c) {
        best = Math.max(best, c[0] - reach);
        reach = Math.max(reach, c[1]);
      });
    });
    return best;
  }

  // Width and height limits from the map's size, set before Leaflet lays
  // the popup out: a popup is never wider or taller than the room it has,
  // nor taller than the room above its anchor and a little more, so the
  // map need not move far to show it (the text scrolls instead).
  function sizePopup(popup, map) {
    var size = map.getSize(), o = popup.options, boxes = controlBoxes(map);
    var room = size.x - 2 * POPUP_GAP - POPUP_CHROME.x;
    o.maxWidth = Math.max(120, Math.min(POPUP_WIDTH[1], room));
    o.minWidth = Math.min(POPUP_WIDTH[0], o.maxWidth);
    var w = o.maxWidth + POPUP_CHROME.x;
    var span = tallestSpan(size, boxes, w);
    if (span < 160) { span = size.y - 2 * POPUP_GAP; }  // no clear column: the map's height
    var tall = span;
    var at = popup.getLatLng();
    if (at) {
      var p = map.latLngToContainerPoint(at);
      var left = Math.max(POPUP_GAP, Math.min(p.x - w / 2, size.x - POPUP_GAP - w));
      var top = POPUP_GAP;
      boxes.forEach(function (b) {  // controls above the anchor, over the popup's column
        if (b[0] < left + w && left < b[2] && b[3] <= p.y) { top = Math.max(top, b[3]); }
      });
      tall = Math.min(span, Math.max(0, p.y - top) + POPUP_PAN_MAX * size.y);
    }
    o.maxHeight = Math.max(80, tall - POPUP_CHROME.y - POPUP_CHROME.tip);
  }

  // Moves the map the least it can so that the open popup (and its tip)
  // lies inside the map and off every control; if no such place exists,
  // just inside the map.
  function fitPopup(popup, map) {
    var node = popup.getElement();
    if (!node || !map) { return; }
    var origin = map.getContainer().getBoundingClientRect();
    var r = node.getBoundingClientRect();
    var box = [r.left - origin.left, r.top - origin.top, r.right - origin.left,
               r.bottom - origin.top + POPUP_CHROME.tip];
    var size = map.getSize(), boxes = controlBoxes(map);
    var lo = [POPUP_GAP - box[0], POPUP_GAP - box[1]];
    var hi = [size.x - POPUP_GAP - box[2], size.y - POPUP_GAP - box[3]];
    var xs = [0, lo[0], hi[0]], ys = [0, lo[1], hi[1]];
    boxes.forEach(function (b) {
      xs.push(b[2] - box[0], b[0] - box[2]);
      ys.push(b[3] - box[1], b[1] - box[3]);
    });
    var best = null, inside = null;
    xs.forEach(function (dx) {
      ys.forEach(function (dy) {
        var cost = dx * dx + dy * dy;
        if (dx < lo[0] || dx > hi[0] || dy < lo[1] || dy > hi[1]) { return; }
        if (!inside || cost < inside.cost) { inside = {dx: dx, dy: dy, cost: cost}; }
        var moved = [box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy];
        if (boxes.some(function (b) { return hits(moved, b); })) { return; }
        if (!best || cost < best.cost) { best = {dx: dx, dy: dy, cost: cost}; }
      });
    });
    var shift = best || inside;
    if (!shift) {  // bigger than the map: its top left corner in view
      shift = {dx: Math.max(lo[0], Math.min(0, hi[0])), dy: lo[1]};
    }
    if (Math.abs(shift.dx) >= 1 || Math.abs(shift.dy) >= 1) {
      map.panBy([-shift.dx, -shift.dy], {duration: 0.25});
    }
  }

  /* Popup options for a feature, and the handlers that keep it fitting:
   * sized when it opens, moved into place once laid out, again when "More"
   * opens or closes, and when the map changes size. */
  function fittingPopup(layer) {
    layer.on('popupopen', function (e) {
      var popup = e.popup, map = layer._map;
      var refit = function () {
        if (popup.isOpen()) { popup.update(); fitPopup(popup, map); }
      };
      var more = popup.getElement().querySelector('details');
      if (more && !more.mapappFits) {
        more.mapappFits = true;
        more.addEventListener('toggle', refit);
      }
      map.on('resize', refit);
      layer.once('popupclose', function () { map.off('resize', refit); });
      fitPopup(popup, map);
    });
    return {className: 'mapapp-popup', autoPan: false, maxWidth: POPUP_WIDTH[1],
            minWidth: POPUP_WIDTH[0]};
  }
  // For popups made elsewhere: size to `map`, lay out again, move into place.
  mapapp.fitPopup = function (popup, map) {
    sizePopup(popup, map);
    popup.update();
    fitPopup(popup, map);
  };

  // -- layers --------------------------------------------------------------

  /* One GeoJSON layer of features, added to `group`.
   * o = {data: FeatureCollection, symbols: {key: icon options}, pane} */
  mapapp.features = function (group, o) {
    var layer = L.geoJSON(o.data, {
      pane: o.pane,
      style: function (feature) { return feature.properties.style || {}; },
      pointToLayer: function (feature, latlng) {
        var p = feature.properties, s = o.symbols[p.symbol];
        var svg = symbol(s.html);
        svg.setAttribute('role', 'img');
        svg.setAttribute('aria-label', p.name);
        return L.marker(latlng, {
          icon: L.divIcon({html: svg, className: 'mapapp-marker ' + p.classes,
                           iconSize: s.iconSize, iconAnchor: s.iconAnchor,
                           tooltipAnchor: s.tooltipAnchor, popupAnchor: s.popupAnchor}),
          zIndexOffset: s.zIndexOffset || 0, keyboard: true, riseOnHover: true, pane: 'markerPane'
        });
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        // A highlighted place keeps its name on show (a lesson step points at it).
        // Its name only, on the side away from the map's edge ('auto').
        var named = !!p.selected && p.kind === 'point';
        layer.bindTooltip(tooltip(p, named), {className: 'mapapp-tooltip',
                                              direction: named ? 'auto' : 'top',
                                              sticky: p.kind !== 'point', permanent: named});
        // Built when first opened: a map of many features carries no DOM it does not show.
        // Sized to the map as it is when opened (see fittingPopup), and
        // built once: a later layout keeps what the reader unfolded.
        var body = null;
        layer.bindPopup(function (source) {
          sizePopup(source.getPopup(), source._map);
          return body || (body = popup(p, o.details_note));
        }, fittingPopup(layer));
      }
    });
    layer.addTo(group);
    // By id, for a selection made outside the map (mapapp.select).
    layer.eachLayer(function (l) {
      var id = l.feature.properties.id;
      drawn[id] = l;
      l.on('click', function () {
        mapapp.selectedId = id;
        highlight(l._map, id, false);
      });
    });
    return layer;
  };

  // -- selection -----------------------------------------------------------

  var drawn = {};
  var SELECTION_PANE = 'mapapp-selection';

  // Whether `layer` already shows well inside the map's view.
  function inView(map, layer) {
    var view = map.getBounds().pad(-0.15);
    return layer.getLatLng ? view.contains(layer.getLatLng()) : view.intersects(layer.getBounds());
  }

  // Brings `layer` into view: a place centred at a zoom that shows its
  // surroundings, a line or area framed whole.
  function bringIntoView(map, layer) {
    if (inView(map, layer)) { return; }
    if (layer.getLatLng) {
      map.flyTo(layer.getLatLng(), Math.max(map.getZoom(), 7), {duration: 0.8});
    } else {
      map.flyToBounds(layer.getBounds(), {padding: [40, 40], maxZoom: 9, duration: 0.8});
    }
  }

  // Marks `id` with a halo under its symbol or line, replacing the last
  // one (its name is on the map already, its details beside it); with
  // `move`, brings it into view.
  function highlight(map, id, move) {
    if (mapapp.halo) { mapapp.halo.remove(); }
    mapapp.halo = null;
    mapapp.focus = null;
    var layer = drawn[id];
    if (!layer || !map.hasLayer(layer)) { return; }
    if (!map.getPane(SELECTION_PANE)) {
      // Under every layer's features, above the basemap and its names.
      map.createPane(SELECTION_PANE).style.zIndex = 405;
      map.getPane(SELECTION_PANE).style.pointerEvents = 'none';
    }
    var halo = layer.getLatLng
      ? L.circleMarker(drawnAt(map, layer), {pane: SELECTION_PANE, radius: 14,
                                           className: 'mapapp-selection', interactive: false})
      : L.geoJSON(layer.toGeoJSON(), {pane: SELECTION_PANE, interactive: false,
                                      style: {className: 'mapapp-selection'}});
    mapapp.halo = halo.addTo(map);
    mapapp.haloId = id;
    if (move) {
      // Until the reader moves the map, a resize of the frame re-frames
      // the choice instead of the first view (see mapapp.setup).
      mapapp.focus = function () { bringIntoView(map, layer); };
      mapapp.focus();
    }
  }

  /* The feature chosen in the app (on the map, in the details box, a
   * table row or a shared link), sent by the app in a small layer group:
   * highlighted, and brought into view when it is a new choice.  The app
   * sends the call again after a full redraw of the map; the same choice
   * then keeps the reader's view.  A click on the map marks its feature at
   * once (mapapp.features), before the app has heard of it.
   * o = {id: feature id, "" for none} */
  mapapp.select = function (group, o) {
    var run = function () {
      var fresh = o.id !== mapapp.selectedId;
      mapapp.selectedId = o.id;
      highlight(group._map, o.id, fresh);
    };
    if (group._map) { run(); } else { group.once('add', run); }
  };

  /* The offline basemap: land, lakes, rivers, regions and borders, no
   * interaction.  o = {data: features with properties.kind, styles: {kind:
   * Leaflet path style}, pane, attribution} */
  mapapp.basemap = function (group, o) {
    return L.geoJSON(o.data, {
      pane: o.pane, interactive: false, attribution: o.attribution,
      style: function (feature) {
        var kind = feature.properties.kind;
        var style = {};
        var given = o.styles[kind] || {};
        for (var key in given) { style[key] = given[key]; }
        style.className = 'mapapp-basemap mapapp-basemap-' + kind;
        return style;
      }
    }).addTo(group);
  };

  // -- names on the map ----------------------------------------------------

  var measure = null;
  // How wide a label will be, from the font its class gives it.
  function textWidth(words, font) {
    measure = measure || document.createElement('canvas').getContext('2d');
    measure.font = font;
    return measure.measureText(words).width;
  }

  function overlaps(a, list) {
    for (var i = 0; i < list.length; i++) {
      var b = list[i];
      if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]) { return true; }
    }
    return false;
  }

  // -- markers moved apart ------------------------------------------------

  /* Report markers that would overlap at this zoom (villages a few km apart
   * on a front, or two features at one town) are moved apart on screen,
   * each on a thin leader from a dot at its true place; names then go
   * beside the moved marker.  The shift is screen pixels, worked out again
   * at every zoom: the features' coordinates, popups and links keep their
   * true places.  The same rule as mapapp.static.figure.spread_apart. */
  var SPREAD_OVERLAP = 0.85;
  var GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

  function spreadApart(pos, radius) {
    var n = pos.length;
    for (var round = 0; round < 60; round++) {
      var push = pos.map(function () { return [0, 0]; });
      var any = false;
      for (var i = 0; i < n; i++) {
        for (var j = i + 1; j < n; j++) {
          var need = (radius[i] + radius[j]) * SPREAD_OVERLAP;
          var dx = pos[i][0] - pos[j][0], dy = pos[i][1] - pos[j][1];
          var d = Math.sqrt(dx * dx + dy * dy);
          if (d >= need - 1e-6) { continue; }
          any = true;
          var ux = d > 1e-6 ? dx / d : Math.cos(j * GOLDEN_ANGLE);
          var uy = d > 1e-6 ? dy / d : Math.sin(j * GOLDEN_ANGLE);
          var half = (need - d) / 2;
          push[i][0] += ux * half; push[i][1] += uy * half;
          push[j][0] -= ux * half; push[j][1] -= uy * half;
        }
      }
      if (!any) { break; }
      pos = pos.map(function (p, k) { return [p[0] + push[k][0], p[1] + push[k][1]]; });
    }
    return pos;
  }
  mapapp.spreadApart = spreadApart;

  // The shift (screen pixels) each drawn feature's marker has now.
  function markerShift(layer) { return layer.mapappShift || [0, 0]; }

  // Where a point feature's marker is drawn now (its place, shifted).
  function drawnAt(map, layer) {
    var shift = markerShift(layer);
    if (!shift[0] && !shift[1]) { return layer.getLatLng(); }
    return map.layerPointToLatLng(map.latLngToLayerPoint(layer.getLatLng()).add(shift));
  }

  mapapp.spreadMarkers = function (map) {
    var markers = [];
    map.eachLayer(function (layer) {
      if (layer instanceof L.Marker && layer.feature && layer.getElement && layer.getElement()
          && layer.getElement().offsetWidth) {
        markers.push(layer);
      }
    });
    var leaders = map.mapappLeaders || (map.mapappLeaders = L.layerGroup().addTo(map));
    leaders.clearLayers();
    var at = markers.map(function (m) {
      var p = map.latLngToLayerPoint(m.getLatLng());
      return [p.x, p.y];
    });
    var radius = markers.map(function (m) { return m.getElement().offsetWidth / 2; });
    var moved = spreadApart(at, radius);
    markers.forEach(function (m, k) {
      var dx = moved[k][0] - at[k][0], dy = moved[k][1] - at[k][1];
      var shifted = Math.sqrt(dx * dx + dy * dy) > 0.5;
      m.mapappShift = shifted ? [dx, dy] : [0, 0];
      // The CSS translate property, not transform: a lesson's highlighted
      // marker keeps its transform: scale(1.5).
      var node = m.getElement().firstElementChild;
      if (node) { node.style.translate = shifted ? dx + 'px ' + dy + 'px' : ''; }
      if (shifted) {
        var to = map.layerPointToLatLng(L.point(moved[k][0], moved[k][1]));
        L.polyline([m.getLatLng(), to], {pane: 'markerPane', interactive: false,
                                         className: 'mapapp-marker-leader'}).addTo(leaders);
        L.circleMarker(m.getLatLng(), {pane: 'markerPane', radius: 2, interactive: false,
                                       className: 'mapapp-marker-spot'}).addTo(leaders);
      }
    });
    // The selection's ring goes round the marker where it is drawn.
    var chosen = mapapp.halo && drawn[mapapp.haloId];
    if (chosen && chosen.getLatLng && mapapp.halo.setLatLng) {
      mapapp.halo.setLatLng(drawnAt(map, chosen));
    }
  };

  // Where the report's own markers are, in the map's pixels: labels keep
  // off them.  Placed from their positions (the DOM may still be moving at
  // the end of a zoom) and moved as spreadMarkers moved them, sized from
  // their icons.
  function markerBoxes(map, pane, shown) {
    var boxes = [];
    // The map's own controls (zoom, layers, legend, scale) cover what is under them.
    var origin = map.getContainer().getBoundingClientRect();
    map.getContainer().querySelectorAll('.leaflet-control').forEach(function (node) {
      var r = node.getBoundingClientRect();
      if (r.width) {
        boxes.push([r.left - origin.left - 4, r.top - origin.top - 4,
                    r.right - origin.left + 4, r.bottom - origin.top + 4]);
      }
    });
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.Marker) || layer.options.pane === pane || !layer.getElement) {
        return;
      }
      var node = layer.getElement();
      if (!node || !node.offsetWidth) { return; }
      // A feature on the map whose name its own tooltip does not already show.
      var tip = layer.getTooltip && layer.getTooltip();
      if (layer.feature && layer.feature.properties && !(tip && tip.options.permanent)) {
        shown[layer.feature.properties.id] = true;
      }
      var at = map.latLngToContainerPoint(layer.getLatLng()).add(markerShift(layer));
      var w = node.offsetWidth / 2 + 2;
      var h = node.offsetHeight / 2 + 2;
      boxes.push([at.x - w, at.y - h, at.x + w, at.y + h]);
    });
    return boxes;
  }

  var FONTS = {
    country: '600 11px system-ui, sans-serif', sea: 'italic 500 13px system-ui, sans-serif',
    river: 'italic 500 12px system-ui, sans-serif', lake: 'italic 500 11px system-ui, sans-serif',
    region: '600 10px system-ui, sans-serif', capital: '700 12px system-ui, sans-serif',
    place: '700 12px system-ui, sans-serif', city: '500 11px system-ui, sans-serif'
  };
  // Names of points sit beside them (right, then left); areas' over their middle.
  var BESIDE = {capital: true, city: true, place: true};

  /* Names: countries, seas, rivers, lakes, regions, capitals, cities and the
   * report's places.  o = {data: points with properties {name, kind, rank,
   * minzoom, angle}, pane}.  On every view change they are placed again, in
   * rank order, each only where it overlaps no name placed before it and no
   * marker of the report, and only from its own zoom on. */
  mapapp.labels = function (map, o) {
    var group = L.layerGroup().addTo(map);
    var features = (o.data.features || []).slice().sort(function (a, b) {
      return a.properties.rank - b.properties.rank;
    });

    // Boxes (in the map's pixels) the label of ``p`` could take at each of
    // its places in view, in the order to try them.
    function candidates(p, spots, size, taken) {
      var upper = p.kind === 'country' || p.kind === 'region';
      var words = upper ? String(p.name).toUpperCase() : String(p.name);
      var w = textWidth(words, FONTS[p.kind] || FONTS.city) * (upper ? 1.15 : 1) + 6;
      var h = 16;
      var out = [];
      // An area's name (a region, or a region the report names) may go on
      // two lines where one will not fit.
      var lines = [[w, h, false]];
      var cut = words.lastIndexOf(' ');
      if ((p.kind === 'region' || p.anchors) && p.kind !== 'sea' && p.kind !== 'river'
          && cut > 0) {
        var font = FONTS[p.kind] || FONTS.city;
        var w2 = Math.max(textWidth(words.slice(0, cut), font),
                          textWidth(words.slice(cut + 1), font)) * 1.15 + 6;
        lines.push([w2, 2 * h - 2, true]);
      }
      spots.forEach(function (spot, n) {
        var at = map.latLngToContainerPoint([spot[1], spot[0]]);
        if (p.fid && drawn[p.fid] && n === 0) { at = at.add(markerShift(drawn[p.fid])); }
        if (at.x < 0 || at.y < 0 || at.x > size.x || at.y > size.y) { return; }
        // A point's name goes beside it; elsewhere in its area (a region's
        // other places) it is written over the middle.
        if (BESIDE[p.kind] && n === 0) {
          // A report place's name starts beside its own marker, which is
          // then no obstacle to it.
          var gap = 8;
          var others = taken;
          if (p.kind === 'place') {
            var own = taken.filter(function (b) {
              return b[0] <= at.x && at.x <= b[2] && b[1] <= at.y && at.y <= b[3];
            });
            if (own.length) {
              gap = Math.max(gap, own[0][2] - at.x);
              others = taken.filter(function (b) { return own.indexOf(b) < 0; });
            }
          }
          out.push({spot: spot, side: 'right', gap: gap, others: others,
                    box: [at.x + gap, at.y - h / 2, at.x + gap + w, at.y + h / 2]});
          out.push({spot: spot, side: 'left', gap: gap, others: others,
                    box: [at.x - gap - w, at.y - h / 2, at.x - gap, at.y + h / 2]});
          var lift = Math.max(gap - 4, 6);  // above or below: the marker is less wide than tall
          out.push({spot: spot, side: 'above', gap: lift, others: others,
                    box: [at.x - w / 2, at.y - lift - h, at.x + w / 2, at.y - lift]});
          out.push({spot: spot, side: 'below', gap: lift, others: others,
                    box: [at.x - w / 2, at.y + lift, at.x + w / 2, at.y + lift + h]});
        } else if (!BESIDE[p.kind] || p.kind === 'place') {
          lines.forEach(function (shape) {
            var turn = Math.abs(spot[2] || 0) * Math.PI / 180;
            var bw = shape[0] * Math.cos(turn) + shape[1] * Math.sin(turn);
            var bh = shape[0] * Math.sin(turn) + shape[1] * Math.cos(turn);
            out.push({spot: spot, side: 'centre', others: taken, broken: shape[2],
                      box: [at.x - bw / 2, at.y - bh / 2, at.x + bw / 2, at.y + bh / 2]});
          });
        }
      });
      // One line wherever it fits before two lines anywhere.
      return out.filter(function (c) { return !c.broken; })
        .concat(out.filter(function (c) { return c.broken; }));
    }

    function draw(p, choice) {
      var spot = choice.spot;
      var span = el('span');
      var name = String(p.name);
      var cut = name.lastIndexOf(' ');
      // The break is ours: the name stays one text, shown on two lines.
      text(span, choice.broken ? name.slice(0, cut) + '\n' + name.slice(cut + 1) : name);
      if (choice.broken) { span.className = 'mapapp-two-lines'; }
      if (choice.side === 'right') {  // beside the point, clear of its marker
        span.style.transform = 'translate(' + choice.gap + 'px, -50%)';
      } else if (choice.side === 'left') {
        span.style.transform = 'translate(calc(-100% - ' + choice.gap + 'px), -50%)';
      } else if (choice.side === 'above') {
        span.style.transform = 'translate(-50%, calc(-100% - ' + choice.gap + 'px))';
      } else if (choice.side === 'below') {
        span.style.transform = 'translate(-50%, ' + choice.gap + 'px)';
      } else if (spot[2]) {  // a river's name follows it
        span.style.transform = 'translate(-50%, -50%) rotate(' + (-spot[2]) + 'deg)';
      }
      var classes = 'mapapp-label mapapp-label-' + p.kind + ' mapapp-label-' + choice.side;
      if (p.kind === 'country') { classes += ' mapapp-country-label'; }
      var where = L.latLng(spot[1], spot[0]);
      if (p.fid && drawn[p.fid] && choice.side !== 'centre') {  // beside its moved marker
        where = map.containerPointToLatLng(
          map.latLngToContainerPoint(where).add(markerShift(drawn[p.fid])));
      }
      L.marker(where, {
        icon: L.divIcon({html: span, className: classes, iconSize: null}),
        interactive: false, keyboard: false, pane: o.pane
      }).addTo(group);
      if (BESIDE[p.kind] && p.kind !== 'place' && choice.side !== 'centre') {  // markers
        L.circleMarker([spot[1], spot[0]], {radius: p.kind === 'capital' ? 3.5 : 2.5,
          weight: 1, color: '#444', fillColor: p.kind === 'capital' ? '#fff' : '#444',
          fillOpacity: 1, interactive: false, pane: o.pane,
          className: 'mapapp-label-dot'}).addTo(group);
      }
    }

    function place() {
      mapapp.spreadMarkers(map);
      group.clearLayers();
      var zoom = map.getZoom();
      var size = map.getSize();
      var shown = {};
      var taken = markerBoxes(map, o.pane, shown);
      features.forEach(function (feature) {
        var p = feature.properties;
        if (zoom < p.minzoom) { return; }
        // A report place is named only while its marker is on the map.
        if (p.fid && !shown[p.fid]) { return; }
        var c = feature.geometry.coordinates;
        var spots = [[c[0], c[1], p.angle || 0]].concat(p.anchors || []);
        var choices = candidates(p, spots, size, taken);
        for (var i = 0; i < choices.length; i++) {
          var box = choices[i].box;
          if (box[0] < 0 || box[1] < 0 || box[2] > size.x || box[3] > size.y) { continue; }
          if (overlaps(box, choices[i].others)) { continue; }
          taken.push(box);
          draw(p, choices[i]);
          return;
        }
      });
    }
    map.on('zoomend moveend resize overlayadd overlayremove', place);
    // The markers are drawn once the page's other calls have run.
    setTimeout(place, 0);
    return group;
  };

  /* A legend of what is drawn (bottom left, over the Black Sea and Romania).
   * o = {position, sections: [{layer, title, rows: [{cls, symbol, label}]}],
   *      statuses: [{cls, symbol, label, title}], note, symbols, open_min: [w, h]} */
  mapapp.legend = function (map, o) {
    var control = L.control({position: o.position});
    control.onAdd = function () {
      var div = el('div', 'mapapp-legend leaflet-control');
      var details = el('details');
      details.open = true;
      var summary = el('summary');
      summary.textContent = 'Legend';
      details.appendChild(summary);
      function row(ul, r, withSlot) {
        var li = el('li', r.cls);
        if (r.title) { li.title = r.title; }
        var swatch = symbol(o.symbols[r.symbol]);
        if (withSlot) {
          var slot = el('span', 'mapapp-sym');
          slot.appendChild(swatch);
          li.appendChild(slot);
        } else {
          li.appendChild(swatch);
        }
        text(li, r.label);
        ul.appendChild(li);
      }
      o.sections.forEach(function (section) {
        var box = el('div', 'mapapp-legend-layer mapapp-legend-layer-' + section.layer);
        line(box, 'h6', '', section.title);
        var ul = el('ul', 'mapapp-legend-grid');
        section.rows.forEach(function (r) { row(ul, r, true); });
        box.appendChild(ul);
        details.appendChild(box);
      });
      if (o.statuses.length) {
        var box = el('div', 'mapapp-legend-statuses');
        line(box, 'h6', '', 'Status (marker outline and fill)');
        var ul = el('ul', 'mapapp-legend-grid');
        o.statuses.forEach(function (r) { row(ul, r, false); });
        box.appendChild(ul);
        details.appendChild(box);
      }
      if (o.note) { line(details, 'div', 'mapapp-note', o.note); }
      div.appendChild(details);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      // On a smaller map the open legend would hide the west of Ukraine
      // (Lviv, Przewodów): it starts closed there, one click opens it.
      var size = map.getSize();
      if (size.x < o.open_min[0] || size.y < o.open_min[1]) { details.open = false; }
      return div;
    };
    control.addTo(map);
    return control;
  };

  // -- event sets: thousands of points on one canvas -----------------------

  /* Imported events, drawn from columns (not one object per event) on a
   * canvas, filtered in the page: a filter or date change redraws without
   * anything new coming from the server.  Below `o.aggregate_below` zoom,
   * when many are shown, points are counted into grid cells.
   *
   * o = {data: columns | url: where to fetch them, filter, styles: {type:
   *      {color, label}}, halo, aggregate_below, aggregate_over, cell}
   * columns = {n, lon, lat (x 1e4), day, span (days), type, status, source
   *            (codes into types, statuses, sources), id, name, fatalities} */

  // Fill the current path with a translucent colour, then outline it thinly.
  function paint(ctx, fill, alpha, stroke) {
    ctx.fillStyle = fill;
    ctx.globalAlpha = alpha;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.lineWidth = 1;
    ctx.strokeStyle = stroke;
    ctx.stroke();
  }

  var EventsLayer = L.Layer.extend({
    initialize: function (o) {
      this.o = o;
      this.d = null;
      this.filter = o.filter || {};
      this.drawn = null;  // screen positions of the points last drawn
    },
    onAdd: function (map) {
      this._map = map;
      // Above areas and lines, under the report's markers; the canvas
      // itself takes no pointer events, so hover on the shapes still works.
      var pane = map.getPane('mapapp-events') || map.createPane('mapapp-events');
      pane.style.zIndex = 455;
      pane.style.pointerEvents = 'none';
      this.canvas = L.DomUtil.create('canvas', 'mapapp-events leaflet-zoom-hide', pane);
      map.on('moveend zoomend resize viewreset', this.redraw, this);
      // Caught before any shape under the point sees it: a click on an
      // event is the event's (an area's popup would stop it otherwise).
      this._onClick = this.click.bind(this);
      map.getContainer().addEventListener('click', this._onClick, true);
      this.redraw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this.canvas);
      map.off('moveend zoomend resize viewreset', this.redraw, this);
      map.getContainer().removeEventListener('click', this._onClick, true);
    },
    setData: function (d) {
      var n = d.n, mx = new Float64Array(n), my = new Float64Array(n), i, phi;
      // Web Mercator in 0..1, once: a redraw is a multiply and an add per point.
      for (i = 0; i < n; i++) {
        mx[i] = (d.lon[i] / 1e4 + 180) / 360;
        phi = d.lat[i] / 1e4 * Math.PI / 180;
        my[i] = (1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2;
      }
      this.d = d;
      this.mx = mx;
      this.my = my;
      this.setFilter(this.filter);
      this._map.getContainer().classList.add('mapapp-events-ready');
    },
    setFilter: function (f) {
      this.filter = f || {};
      if (!this.d) { return; }
      var d = this.d, n = d.n, keep = new Uint8Array(n), count = 0, i;
      function allowed(names, table) {
        if (!names) { return null; }
        var ok = new Uint8Array(table.length);
        table.forEach(function (name, code) { ok[code] = names.indexOf(name) >= 0 ? 1 : 0; });
        return ok;
      }
      var types = allowed(this.filter.types, d.types);
      var statuses = allowed(this.filter.statuses, d.statuses);
      var sources = allowed(this.filter.sources, d.sources);
      var from = this.filter.from === undefined ? -Infinity : this.filter.from;
      var to = this.filter.to === undefined ? Infinity : this.filter.to;
      for (i = 0; i < n; i++) {
        if (types && !types[d.type[i]]) { continue; }
        if (statuses && !statuses[d.status[i]]) { continue; }
        if (sources && !sources[d.source[i]]) { continue; }
        if (d.day[i] + d.span[i] < from || d.day[i] > to) { continue; }
        keep[i] = 1;
        count++;
      }
      this.keep = keep;
      this.count = count;
      var container = this._map.getContainer();
      container.setAttribute('data-mapapp-events', String(count));
      this.redraw();
    },
    redraw: function () {
      var map = this._map;
      if (!map || !this.canvas) { return; }
      var size = map.getSize(), canvas = this.canvas, ratio = window.devicePixelRatio || 1;
      canvas.width = size.x * ratio;
      canvas.height = size.y * ratio;
      canvas.style.width = size.x + 'px';
      canvas.style.height = size.y + 'px';
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      var ctx = canvas.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      if (!this.d) { return; }
      var zoom = map.getZoom(), scale = 256 * Math.pow(2, zoom);
      var origin = map.project(map.containerPointToLatLng([0, 0]), zoom);
      var d = this.d, n = d.n, keep = this.keep, mx = this.mx, my = this.my, i, x, y;
      var xs = new Float32Array(this.count), ys = new Float32Array(this.count);
      var idx = new Int32Array(this.count), m = 0;
      for (i = 0; i < n; i++) {
        if (!keep[i]) { continue; }
        x = mx[i] * scale - origin.x;
        y = my[i] * scale - origin.y;
        if (x < -10 || y < -10 || x > size.x + 10 || y > size.y + 10) { continue; }
        xs[m] = x; ys[m] = y; idx[m] = i; m++;
      }
      this.drawn = {x: xs, y: ys, i: idx, m: m, cells: null};
      if (zoom < this.o.aggregate_below && m > this.o.aggregate_over) {
        this.drawCells(ctx, m);
      } else {
        this.drawPoints(ctx, m);
      }
    },
    drawPoints: function (ctx, m) {
      var d = this.d, drawn = this.drawn, styles = this.o.styles;
      var byType = {}, k, j, t, list;
      for (k = 0; k < m; k++) {  // one path per type: few fills, not one per point
        t = d.type[drawn.i[k]];
        (byType[t] = byType[t] || []).push(k);
      }
      Object.keys(byType).forEach(function (code) {
        var style = styles[d.types[code]] || styles.event;
        list = byType[code];
        ctx.beginPath();
        for (j = 0; j < list.length; j++) {
          ctx.moveTo(drawn.x[list[j]] + 4, drawn.y[list[j]]);
          ctx.arc(drawn.x[list[j]], drawn.y[list[j]], 4, 0, 2 * Math.PI);
        }
        paint(ctx, style.color, 0.85, '#1a1a1a');
      });
      if (this.selected !== undefined && this.keep[this.selected]) {
        var p = this._map.latLngToContainerPoint(this.latlng(this.selected));
        ctx.beginPath();
        ctx.arc(p.x, p.y, 8, 0, 2 * Math.PI);
        ctx.lineWidth = 3;
        ctx.strokeStyle = this.o.halo;
        ctx.stroke();
      }
    },
    drawCells: function (ctx, m) {
      var drawn = this.drawn, size = this.o.cell, cells = {}, k, key, c, t;
      var d = this.d, styles = this.o.styles;
      for (k = 0; k < m; k++) {
        key = Math.floor(drawn.x[k] / size) + ':' + Math.floor(drawn.y[k] / size);
        c = cells[key] || (cells[key] = {n: 0, x: 0, y: 0, types: {},
                                         x0: Math.floor(drawn.x[k] / size) * size,
                                         y0: Math.floor(drawn.y[k] / size) * size});
        c.n++; c.x += drawn.x[k]; c.y += drawn.y[k];
        t = d.type[drawn.i[k]];
        c.types[t] = (c.types[t] || 0) + 1;
      }
      // A cell takes the colour of the type most of its events have.
      function colour(cell) {
        var best = null;
        Object.keys(cell.types).forEach(function (code) {
          if (best === null || cell.types[code] > cell.types[best]) { best = code; }
        });
        return (styles[d.types[best]] || styles.event).color;
      }
      drawn.cells = [];
      ctx.font = 'bold 11px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
      Object.keys(cells).forEach(function (key) {
        var cell = cells[key];
        var r = Math.min(size / 2 - 1, 6 + 3 * Math.log(cell.n) / Math.LN10 * 2);
        // At its events' centre, but inside its own cell: two counts never overlap.
        var x = clamp(cell.x / cell.n, cell.x0 + r, cell.x0 + size - r);
        var y = clamp(cell.y / cell.n, cell.y0 + r, cell.y0 + size - r);
        drawn.cells.push({x: x, y: y, r: r, n: cell.n});
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        paint(ctx, colour(cell), 0.8, '#ffffff');
      });
      // The counts after every circle, so none is painted over.
      drawn.cells.forEach(function (cell) {
        // Dark text with a light halo: legible on every type's colour.
        var label = cell.n > 999 ? Math.round(cell.n / 100) / 10 + 'k' : String(cell.n);
        ctx.lineWidth = 3;
        ctx.strokeStyle = 'rgba(255, 255, 255, 0.9)';
        ctx.strokeText(label, cell.x, cell.y);
        ctx.fillStyle = '#1a1a1a';
        ctx.fillText(label, cell.x, cell.y);
      });
    },
    latlng: function (i) {
      return L.latLng(this.d.lat[i] / 1e4, this.d.lon[i] / 1e4);
    },
    click: function (event) {
      var drawn = this.drawn, map = this._map;
      if (!drawn || !drawn.m) { return; }
      if (event.target.closest && event.target.closest('.leaflet-control, .leaflet-popup, '
                                                       + '.leaflet-marker-icon')) { return; }
      var p = map.mouseEventToContainerPoint(event), best = -1, bestD = 100, k, dx, dy, dd;
      if (drawn.cells) {  // a count: zoom in on it
        drawn.cells.forEach(function (c) {
          dx = c.x - p.x; dy = c.y - p.y;
          if (dx * dx + dy * dy <= c.r * c.r) { best = c; }
        });
        if (best !== -1) {
          event.stopPropagation();
          map.setView(map.containerPointToLatLng([best.x, best.y]), map.getZoom() + 2);
        }
        return;
      }
      for (k = 0; k < drawn.m; k++) {
        dx = drawn.x[k] - p.x; dy = drawn.y[k] - p.y; dd = dx * dx + dy * dy;
        if (dd < bestD) { bestD = dd; best = drawn.i[k]; }
      }
      if (best < 0) { return; }
      event.stopPropagation();
      this.selected = best;
      this.redraw();
      var at = this.latlng(best);
      // Sized and moved as a feature's popup is: inside the map, off its controls.
      var opened = L.popup({className: 'mapapp-popup', autoPan: false, maxWidth: 320})
        .setLatLng(at).setContent(this.popup(best)).openOn(map);
      mapapp.fitPopup(opened, map);
      // As a click on the map, for whoever listens (the app hears where).
      map.fire('click', {latlng: at, layerPoint: map.latLngToLayerPoint(at),
                         containerPoint: p, originalEvent: event});
    },
    popup: function (i) {
      var d = this.d, box = el('div', 'mapapp-popup-body mapapp-event-popup');
      line(box, 'h4', '', d.name[i] || d.id[i]);
      var meta = el('div', 'mapapp-meta');
      var style = this.o.styles[d.types[d.type[i]]] || this.o.styles.event;
      text(meta, style.label + ' \u00b7 ' + d.statuses[d.status[i]]);
      box.appendChild(meta);
      var when = el('div');
      label(when, 'Date');
      var start = new Date(d.day[i] * 864e5).toISOString().slice(0, 10);
      var end = new Date((d.day[i] + d.span[i]) * 864e5).toISOString().slice(0, 10);
      text(when, d.span[i] ? start + ' to ' + end : start);
      box.appendChild(when);
      if (d.fatalities[i] >= 0) {
        var dead = el('div');
        label(dead, 'Fatalities');
        text(dead, String(d.fatalities[i]));
        box.appendChild(dead);
      }
      var src = el('div', 'mapapp-cite');
      label(src, 'Source');
      text(src, d.sources[d.source[i]] + ', ' + d.units[d.source[i]] + ' ' + d.row[i]);
      box.appendChild(src);
      return box;
    }
  });

  mapapp.events = function (map, o) {
    var layer = new EventsLayer(o);
    layer.addTo(map);
    mapapp.eventsLayer = layer;
    if (mapapp.pendingFilter) { layer.filter = mapapp.pendingFilter; }
    if (o.data) {
      layer.setData(o.data);
    } else {
      fetch(o.url).then(function (r) { return r.json(); })
        .then(function (d) { layer.setData(d); });
    }
    return layer;
  };

  /* A new filter for the events already in the page (dates as day numbers). */
  mapapp.filterEvents = function (_, f) {
    if (mapapp.eventsLayer) {
      mapapp.eventsLayer.setFilter(f);
    } else {
      mapapp.pendingFilter = f;
    }
  };

  /* Present mode: Left and Right always change the lesson's step.
   *
   * The map lives in streamlit-folium's iframe, which keeps the keyboard
   * focus once it has been clicked: Leaflet would pan on the arrows, and
   * the app's Previous/Next shortcuts, listening on the page around the
   * frame, would never hear them.  So these keys are taken before Leaflet
   * sees them (+ and - still zoom) and sent on to that page, which is the
   * same origin inside Streamlit.  Key-up goes too: a shortcut fires once
   * per press and waits for its key to come up.
   * o = {keys: ['ArrowLeft', 'ArrowRight']} */
  mapapp.lessonKeys = function (_map, o) {
    var page = null;
    try {
      page = window.parent !== window ? window.parent : null;
      if (page) { page.document.body; }  // throws for another origin
    } catch (err) {
      page = null;
    }
    if (!page || window.mapappLessonKeys) { return; }
    window.mapappLessonKeys = true;
    ['keydown', 'keyup'].forEach(function (type) {
      window.addEventListener(type, function (event) {
        if (o.keys.indexOf(event.key) < 0) { return; }
        event.preventDefault();
        event.stopPropagation();
        // Made in the page's own realm, as if typed there.
        page.document.dispatchEvent(new page.KeyboardEvent(type, {
          key: event.key, code: event.code, keyCode: event.keyCode, which: event.which,
          repeat: event.repeat, altKey: event.altKey, ctrlKey: event.ctrlKey,
          metaKey: event.metaKey, shiftKey: event.shiftKey, bubbles: true, cancelable: true
        }));
      }, true);
    });
  };

  /* Marks the container, adds the SVG fill patterns once, and keeps the
   * view right when the container changes size.
   *
   * Inside Streamlit the map's iframe is laid out after Leaflet starts, so
   * the first fit is made for the wrong size and the SVG renderer clips
   * vectors (the basemap) to that first, smaller box.  On every resize the
   * map re-measures itself, redraws its vectors, and re-fits the initial
   * view until the reader has moved the map themselves.
   * Firing 'mapapp:hold' on the map ends the re-fitting.
   * o = {bounds, at: [lat, lon, zoom] (a link's view, instead of bounds),
   *      fly, refit, defs, vars: {name: css value}} */
  mapapp.setup = function (map, o) {
    var container = map.getContainer();
    container.classList.add('mapapp-map');
    Object.keys(o.vars).forEach(function (name) {
      container.style.setProperty('--mapapp-' + name, o.vars[name]);
    });
    if (!document.getElementById('mapapp-svg-defs')) {
      document.body.appendChild(symbol(o.defs));
    }
    var touched = false;
    ['mousedown', 'touchstart', 'wheel', 'keydown'].forEach(function (name) {
      container.addEventListener(name, function () { touched = true; }, {passive: true});
    });
    // A caller that frames the map itself (the snapshot) holds the view, as
    // a reader's move would: a resize observed after its fit must not put
    // the first view back over it.
    map.on('mapapp:hold', function () { touched = true; });
    var flown = !o.fly;
    var refit = function () {
      map.invalidateSize({pan: false});
      if (!touched && mapapp.focus) {
        mapapp.focus();
      } else if (!touched && o.refit) {
        if (o.at) {
          map.setView([o.at[0], o.at[1]], o.at[2]);
        } else if (flown) {
          map.fitBounds(o.bounds);
        } else {
          // Once the frame has its size: glide from the previous view.
          flown = true;
          setTimeout(function () { map.flyToBounds(o.bounds, {duration: 1.2}); }, 150);
        }
      }
      map.fire('moveend');  // renderers recompute their clip box
    };
    if (window.ResizeObserver) {
      new ResizeObserver(refit).observe(container);
    } else {
      window.addEventListener('resize', refit);
    }
  };
})();
