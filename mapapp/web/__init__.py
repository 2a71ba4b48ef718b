"""What the browser gets: page elements, the data payload, and the
JavaScript and CSS (as files in ``assets/``) that turn the payload into a
Leaflet map.

Text from data never becomes markup or template source here: it is
serialised once as JSON (:func:`mapapp.web.payload.script_json`) and put
on the page by ``assets/mapapp.js`` with ``textContent``.
"""
