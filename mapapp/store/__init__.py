"""Sources on disk: the catalogue, GeoParquet event tables, the queries on
them, and the open formats a selection is exported in."""
