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

  function tooltip(p) {
    var box = el('div', 'mapapp-tip');
    line(box, 'b', 'mapapp-tip-name', p.name);
    line(box, 'span', 'mapapp-status', p.type_label + ' \u00b7 ' + p.status_label);
    return box;
  }
  mapapp.tooltip = tooltip;

  function popup(p) {
    var box = el('div', 'mapapp-popup-body mapapp-popup-' + p.css_id);
    line(box, 'h4', '', p.name);
    var meta = el('div', 'mapapp-meta');
    text(meta, p.type_label);
    meta.appendChild(document.createTextNode(' \u00b7 '));
    label(meta, 'Status:');
    text(meta, p.status_label);
    box.appendChild(meta);
    if (p.as_of) { line(box, 'div', 'mapapp-approx', p.as_of); }
    if (p.summary) { line(box, 'p', 'mapapp-summary', p.summary); }
    var dates = el('dl');
    [['Event date', p.event_date], ['Report date', p.report_date]].forEach(function (pair) {
      var dt = el('dt');
      dt.textContent = pair[0];
      dates.appendChild(dt);
      line(dates, 'dd', '', pair[1] || 'not given');
    });
    box.appendChild(dates);
    list(box, 'Who says what', p.claims);
    list(box, 'Figures', p.figures);
    if (p.part_of_name) {
      var head = el('h5');
      head.appendChild(document.createTextNode('Part of: '));
      text(head, p.part_of_name);
      box.appendChild(head);
      if (p.part_of_figures && p.part_of_figures.length) {
        var ul = el('ul');
        p.part_of_figures.forEach(function (item) { line(ul, 'li', '', item); });
        box.appendChild(ul);
      }
    }
    var cite = el('div', 'mapapp-cite');
    label(cite, 'Source:');
    text(cite, p.citation);
    box.appendChild(cite);
    var loc = el('div', 'mapapp-loc');
    label(loc, 'Located:');
    text(loc, p.location);
    box.appendChild(loc);
    return box;
  }
  mapapp.popup = popup;

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
        var named = !!p.selected && p.kind === 'point';
        layer.bindTooltip(tooltip(p), {className: 'mapapp-tooltip', direction: 'top',
                                       sticky: p.kind !== 'point', permanent: named});
        // Built when first opened: a map of many features carries no DOM it does not show.
        layer.bindPopup(function () { return popup(p); },
                        {className: 'mapapp-popup', maxWidth: 360, minWidth: 220,
                         autoPanPadding: [24, 24]});
      }
    });
    layer.addTo(group);
    return layer;
  };

  /* The offline basemap: land and borders, no interaction.
   * o = {data, style, pane, attribution} */
  mapapp.basemap = function (group, o) {
    return L.geoJSON(o.data, {style: o.style, pane: o.pane, interactive: false,
                              attribution: o.attribution}).addTo(group);
  };

  /* Country names on the basemap.  o = {data: points with properties.name, pane} */
  mapapp.labels = function (map, o) {
    return L.geoJSON(o.data, {
      interactive: false,
      pointToLayer: function (feature, latlng) {
        var span = el('span');
        text(span, feature.properties.name);
        return L.marker(latlng, {
          icon: L.divIcon({html: span, className: 'mapapp-country-label', iconSize: null}),
          interactive: false, keyboard: false, pane: o.pane
        });
      }
    }).addTo(map);
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

  /* Marks the container, adds the SVG fill patterns once, and keeps the
   * view right when the container changes size.
   *
   * Inside Streamlit the map's iframe is laid out after Leaflet starts, so
   * the first fit is made for the wrong size and the SVG renderer clips
   * vectors (the basemap) to that first, smaller box.  On every resize the
   * map re-measures itself, redraws its vectors, and re-fits the initial
   * view until the reader has moved the map themselves.
   * o = {bounds, fly, refit, defs, vars: {name: css value}} */
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
    var flown = !o.fly;
    var refit = function () {
      map.invalidateSize({pan: false});
      if (!touched && o.refit) {
        if (flown) {
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
