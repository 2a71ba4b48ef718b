"""Everything that makes features: today the report folder (``data/``) and
the fingerprint that keeps its sentences out of the project."""
