"""Static images for publishing (PNG, SVG, PDF), drawn with matplotlib: no
browser, no folium."""
