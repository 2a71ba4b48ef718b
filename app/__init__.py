"""The Streamlit layer's helpers (the app itself is ``streamlit_app.py``).

Only this layer imports Streamlit; the core package ``mapapp`` never does.
"""

from pathlib import Path

# Streamlit serves ./static/ at /app/static/ (see .streamlit/config.toml).
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
ASSET_BASE = "/app/static/vendor"
