/* The snapshot (mapapp.web.snapshot): dresses the web map as a published
 * image before Chromium photographs it.  Added to the page by the snapshot
 * only, after the map has drawn; the app's page never loads it.
 *
 * mapapp.snapshot.dress({title, subtitle, credits: [text, ...]}): a title
 * band above the map and a credits line below it, the map's controls
 * hidden, its legend open and compact.  Every text is data (the report's
 * headline, a user's --title): it is only ever set with textContent.
 *
 * mapapp.snapshot.frame({bounds, legend}): fits the map to bounds, clear of
 * the legend when legend is true; resolves once drawn, with the names the
 * map then writes (mapapp.labels places them on every view change).
 */
(function () {
  'use strict';

  var mapapp = window.mapapp = window.mapapp || {};
  var MARGIN = 8;  // px kept clear between the framed content and the map's edge
  // Type is sized for the social card; other sizes scale it by its area
  // (a narrow image by its width), within these limits.
  var REFERENCE = [1200, 675];
  var SCALE = [0.5, 1.4];
  // The legend may take this share of the map's width and height; beyond
  // it, it is shrunk ...
  var LEGEND_MAX = [0.42, 0.5];
  // ... down to this zoom, below which its words could not be read: a
  // thumbnail then has no legend rather than a cut one.
  var LEGEND_MIN_ZOOM = 0.3;
  // Title and credits leave the map at least this share of the height; on
  // a thumbnail they are cut to one line each (with an ellipsis) to keep it.
  var MAP_MIN_SHARE = 0.55;

  function theMap() {
    var keys = Object.keys(window);
    for (var i = 0; i < keys.length; i++) {
      var value = window[keys[i]];
      if (value instanceof L.Map) { return value; }
    }
    return null;
  }

  function el(tag, className) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    return node;
  }

  // Data text in its own bidi island, as a text node (never markup).
  function line(parent, tag, className, value) {
    var node = el(tag, className);
    var bdi = document.createElement('bdi');
    bdi.textContent = value === undefined || value === null ? '' : String(value);
    node.appendChild(bdi);
    parent.appendChild(node);
    return node;
  }

  // How much larger or smaller than on the social card the page's type is.
  function typeScale() {
    var w = window.innerWidth, h = window.innerHeight;
    var s = Math.min(Math.sqrt(w * h / (REFERENCE[0] * REFERENCE[1])), 1.33 * w / REFERENCE[0]);
    return Math.max(SCALE[0], Math.min(SCALE[1], s));
  }

  function compactLegend(legend, container, s) {
    var details = legend.querySelector('details');
    if (details) { details.open = true; }
    // The status key's heading explains the web map's hover; on an image
    // one word says it.
    var heading = legend.querySelector('.mapapp-legend-statuses h6');
    if (heading) { heading.textContent = 'Status'; }
    var box = container.getBoundingClientRect();
    var own = legend.getBoundingClientRect();
    if (!own.width || !own.height) { return; }
    var zoom = Math.min(s, LEGEND_MAX[0] * box.width / own.width,
                        LEGEND_MAX[1] * box.height / own.height);
    if (zoom < LEGEND_MIN_ZOOM) {
      legend.classList.add('mapapp-snapshot-hidden');
    } else {
      legend.style.zoom = String(zoom);
    }
  }

  function dress(o) {
    var map = theMap();
    if (!map) { return false; }
    var container = map.getContainer();
    // The snapshot frames the map itself (frame, below): the page's own
    // re-fit of its first view on a resize (the dressing below makes one)
    // must not start a zoom that lands after that frame.
    map.fire('mapapp:hold');
    var s = typeScale();
    document.body.classList.add('mapapp-snapshot');
    document.body.style.setProperty('--s', String(s));
    var head = el('header', 'mapapp-snapshot-head');
    if (o.title) { line(head, 'h1', 'mapapp-snapshot-title', o.title); }
    if (o.subtitle) { line(head, 'p', 'mapapp-snapshot-subtitle', o.subtitle); }
    if (head.childNodes.length) { container.parentNode.insertBefore(head, container); }
    if (o.credits && o.credits.length) {
      // One bidi island per credit: a right-to-left headline stays in its quotes.
      var foot = el('footer', 'mapapp-snapshot-credits');
      o.credits.forEach(function (credit, n) {
        if (n) { foot.appendChild(document.createTextNode(' · ')); }
        var bdi = document.createElement('bdi');
        bdi.textContent = String(credit);
        foot.appendChild(bdi);
      });
      document.body.appendChild(foot);  // after the map (scripts between take no room)
    }
    if (container.getBoundingClientRect().height < MAP_MIN_SHARE * window.innerHeight) {
      document.body.classList.add('mapapp-snapshot-tight');
    }
    // The full-screen button shares Leaflet's generic bar class; find it by its button.
    container.querySelectorAll('.leaflet-control-zoom-fullscreen').forEach(function (button) {
      var control = button.closest('.leaflet-control');
      if (control) { control.classList.add('mapapp-snapshot-hidden'); }
    });
    var legend = container.querySelector('.mapapp-legend');
    if (legend) { compactLegend(legend, container, s); }
    return true;
  }

  // Padding that keeps the framed content off the legend: beside it or
  // above it, whichever lets the map zoom in further.
  function clearOfLegend(map, bounds) {
    var plain = {paddingTopLeft: [MARGIN, MARGIN], paddingBottomRight: [MARGIN, MARGIN]};
    var legend = map.getContainer().querySelector('.mapapp-legend');
    if (!legend || !legend.offsetWidth) { return plain; }
    var box = map.getContainer().getBoundingClientRect();
    var own = legend.getBoundingClientRect();
    var beside = own.right - box.left + MARGIN;
    var above = box.bottom - own.top + MARGIN;
    var zBeside = map.getBoundsZoom(bounds, false, L.point(beside + MARGIN, 2 * MARGIN));
    var zAbove = map.getBoundsZoom(bounds, false, L.point(2 * MARGIN, above + MARGIN));
    if (zBeside >= zAbove) {
      return {paddingTopLeft: [beside, MARGIN], paddingBottomRight: [MARGIN, MARGIN]};
    }
    return {paddingTopLeft: [MARGIN, MARGIN], paddingBottomRight: [MARGIN, above]};
  }

  function names() {
    var found = [];
    document.querySelectorAll('.mapapp-label').forEach(function (node) {
      found.push(node.textContent);
    });
    return found;
  }

  function frames(n) {
    return new Promise(function (done) {
      (function next(left) {
        if (!left) { done(); return; }
        requestAnimationFrame(function () { next(left - 1); });
      })(n);
    });
  }

  // Resolves once the page has reacted to the new layout: the map's own
  // script (mapapp.setup) refits it, animated, when its box changes size,
  // and Leaflet would end that animation on its own target, over our fit.
  function settled(map) {
    return frames(2).then(function () {
      if (!map._animatingZoom) { return null; }
      return new Promise(function (done) { map.once('zoomend', done); });
    });
  }

  function viewOf(map) {
    return map.getCenter().toString() + '@' + map.getZoom();
  }

  function fit(map, o) {
    map.invalidateSize({pan: false, animate: false});
    var bounds = L.latLngBounds(o.bounds);
    var padding = o.legend ? clearOfLegend(map, bounds)
      : {paddingTopLeft: [0, 0], paddingBottomRight: [0, 0]};
    map.fitBounds(bounds, Object.assign({animate: false}, padding));
    return viewOf(map);
  }

  // Fits the map to o.bounds and checks, two frames on, that the fit is
  // still the view: Leaflet starts a zoom a frame after it is asked for, so
  // a move the page asked for just before (a re-fit on resize) can land
  // over ours.  Then it is waited for and the fit made again.  A map still
  // moving after the last try is said so (snapshot.unsettled), for the
  // export to warn that its frame may be off.
  function fitted(map, o, tries) {
    var view = fit(map, o);
    return frames(2).then(function () {
      if (viewOf(map) === view) { return null; }
      if (tries <= 1) { mapapp.snapshot.unsettled = true; return null; }
      return settled(map).then(function () { return fitted(map, o, tries - 1); });
    });
  }

  function frame(o) {
    var map = theMap();
    if (!map) { return Promise.resolve(null); }
    map.fire('mapapp:hold');
    return settled(map).then(function () {
      if (o.bounds) { return fitted(map, o, 3); }
      map.invalidateSize({pan: false, animate: false});
      return frames(2);
    }).then(function () {
      // Names are placed again for the final layout (controls gone,
      // legend compact), so none hides under the legend.
      map.fire('moveend');
      return names();
    });
  }

  mapapp.snapshot = {dress: dress, frame: frame, names: names, unsettled: false};
})();
