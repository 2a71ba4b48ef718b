"""The Streamlit layer's helpers (the app itself is ``streamlit_app.py``).

Only this layer imports Streamlit; the core package ``mapapp`` never does.
"""
