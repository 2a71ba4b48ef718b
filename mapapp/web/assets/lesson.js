/* The offline lesson (mapapp bundle): a panel that walks through a story.
 *
 * Previous/Next, arrow keys, PageUp/PageDown, Home/End, and the step in the
 * address (#step-3).  Each step flies the map to its bounds, shows only its
 * layers and highlights its features (class mapapp-highlight).  Story text
 * is data: it is only ever set with textContent.
 *
 * mapapp.lesson(map, story, groups): story = {title, steps: [{title, text,
 * question, bounds, layers, highlight, classes}]}, groups = {layer: the
 * layer's Leaflet group}.  It also writes the printed pages (text only).
 *
 * mapapp.lessonPrint(map, print), called after it: print = {maps: [base64
 * PNG], steps: [{map: index into maps, names: what the step highlights}]}
 * puts each step's map on its printed page.
 */
(function () {
  'use strict';

  var mapapp = window.mapapp = window.mapapp || {};

  mapapp.lesson = function (map, story, groups) {
    var panel = document.querySelector('.mapapp-lesson-panel');
    var $ = function (sel) { return panel.querySelector(sel); };
    var steps = story.steps, current = -1;
    document.body.classList.add('mapapp-lesson');
    map.keyboard.disable();  // the arrow keys step through the lesson
    map.invalidateSize({pan: false});
    // The legend stays one click away; open, it would cover the steps' places.
    document.querySelectorAll('.mapapp-legend details').forEach(function (d) { d.open = false; });
    $('.lesson-story').textContent = story.title;
    document.title = story.title;

    function eachFeatureLayer(fn) {
        Object.keys(groups).forEach(function (layer) {
            groups[layer].eachLayer(function (geojson) {
                if (geojson.eachLayer) { geojson.eachLayer(fn); }
            });
        });
    }
    function nameHighlightedPlaces(step) {
        // Students must see which ring is which: highlighted points keep
        // their name on show (a permanent copy of their tooltip).
        eachFeatureLayer(function (layer) {
            var p = (layer.feature && layer.feature.properties) || {};
            var tip = layer.getTooltip && layer.getTooltip();
            if (p.kind !== 'point' || !tip) { return; }
            var wanted = step.highlight.indexOf(p.id) >= 0;
            if (wanted !== !!tip.options.permanent) {
                var content = tip.getContent(), options = L.extend({}, tip.options,
                                                                  {permanent: wanted});
                layer.unbindTooltip();
                layer.bindTooltip(content, options);
                if (wanted && map.hasLayer(layer)) { layer.openTooltip(); }
            }
        });
    }
    function applyHighlight() {
        var step = steps[current];
        document.querySelectorAll('.mapapp-highlight').forEach(function (el) {
            el.classList.remove('mapapp-highlight');
        });
        step.classes.forEach(function (cls) {
            document.querySelectorAll('.' + cls).forEach(function (el) {
                el.classList.add('mapapp-highlight');
            });
        });
        nameHighlightedPlaces(step);
    }
    function showLayers(step) {
        Object.keys(groups).forEach(function (layer) {
            var on = step.layers.indexOf(layer) >= 0;
            if (on && !map.hasLayer(groups[layer])) { map.addLayer(groups[layer]); }
            if (!on && map.hasLayer(groups[layer])) { map.removeLayer(groups[layer]); }
        });
    }
    function frame(step, animate) {
        var b = L.latLngBounds(step.bounds);
        lesson.moving = true;
        if (animate) {
            map.flyToBounds(b, {duration: 1.2});
        } else {
            map.fitBounds(b, {animate: false});
            lesson.moving = false;
        }
    }
    function go(index, animate) {
        index = Math.max(0, Math.min(steps.length - 1, index));
        if (index === current) { return; }
        current = index;
        lesson.step = index + 1;
        var step = steps[index];
        $('.lesson-counter').textContent = 'Step ' + (index + 1) + ' of ' + steps.length;
        $('.lesson-title').textContent = step.title;
        $('.lesson-text').textContent = step.text;
        $('.lesson-question').textContent = step.question;
        $('.lesson-question').hidden = !step.question;
        $('.lesson-prev').disabled = index === 0;
        $('.lesson-next').disabled = index === steps.length - 1;
        showLayers(step);
        applyHighlight();
        frame(step, animate !== false);
        var hash = '#step-' + (index + 1);
        if (location.hash !== hash) { history.replaceState(null, '', hash); }
    }
    function fromHash() {
        var m = /^#step-(\d+)$/.exec(location.hash);
        return m ? parseInt(m[1], 10) - 1 : 0;
    }
    var lesson = window.mapappLesson = {
        map: map, story: story, groups: groups, step: 0, moving: false,
        go: function (n) { go(n - 1); }
    };
    map.on('moveend', function () { lesson.moving = false; });
    map.on('overlayadd', function () { if (current >= 0) { applyHighlight(); } });
    // Keep the step framed when the page is resized.
    if (window.ResizeObserver) {
        new ResizeObserver(function () {
            if (current >= 0 && !lesson.moving) {
                map.invalidateSize({pan: false});
                map.fitBounds(L.latLngBounds(steps[current].bounds), {animate: false});
            }
        }).observe(map.getContainer());
    }
    $('.lesson-prev').addEventListener('click', function () { go(current - 1); });
    $('.lesson-next').addEventListener('click', function () { go(current + 1); });
    document.addEventListener('keydown', function (e) {
        if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) { return; }
        var t = e.target;
        if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) { return; }
        var to = {ArrowRight: current + 1, PageDown: current + 1,
                  ArrowLeft: current - 1, PageUp: current - 1,
                  Home: 0, End: steps.length - 1}[e.key];
        if (to === undefined) { return; }
        e.preventDefault();
        go(to);
    });
    window.addEventListener('hashchange', function () { go(fromHash()); });

    // The printed handout: every step on its own page (lessonPrint adds
    // the maps).
    var print = document.querySelector('.mapapp-lesson-print');
    steps.forEach(function (step, i) {
        var section = document.createElement('section');
        var add = function (tag, cls, text) {
            var el = document.createElement(tag);
            if (cls) { el.className = cls; }
            el.textContent = text;
            section.appendChild(el);
            return el;
        };
        add('p', 'lesson-story', story.title + ' \u2014 step ' + (i + 1) + ' of ' + steps.length);
        add('h2', '', step.title);
        add('p', 'lesson-text', step.text);
        if (step.question) {
            add('p', 'lesson-question', step.question);
            for (var k = 0; k < 4; k++) { add('div', 'lesson-answer', ''); }
        }
        print.appendChild(section);
    });
    go(fromHash(), false);
  };

  // Each printed page gets its step's map as an image: the Leaflet map shows
  // one step at a time, and does not survive printing.
  mapapp.lessonPrint = function (map, data) {
    var steps = window.mapappLesson.story.steps;
    var sections = document.querySelectorAll('.mapapp-lesson-print section');
    data.steps.forEach(function (printed, i) {
        var figure = document.createElement('figure');
        figure.className = 'lesson-map';
        var img = document.createElement('img');
        // Only our own base64 goes behind this prefix: the source can never
        // be a URL, so printing asks nothing of the network.
        img.src = 'data:image/png;base64,' + data.maps[printed.map];
        img.alt = 'Map for step ' + (i + 1) + ': ' + steps[i].title;
        figure.appendChild(img);
        if (printed.names.length) {
            var caption = document.createElement('figcaption');
            caption.textContent = 'Highlighted on the map: ' + printed.names.join(', ');
            figure.appendChild(caption);
        }
        var title = sections[i].querySelector('h2');
        sections[i].insertBefore(figure, title.nextSibling);
    });
  };
})();
