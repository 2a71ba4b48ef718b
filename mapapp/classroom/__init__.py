"""Lessons: stories told step by step, the offline lesson page and the
printed handout."""
