"""Where things are: places and their gazetteer, the geocache and the
geocoder, front lines, control areas and the Natural Earth basemap."""
