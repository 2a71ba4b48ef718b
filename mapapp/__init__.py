"""mapapp: a news report about a war, as a sourced, shareable map.

The core package never imports Streamlit; ``streamlit_app.py`` is a thin
layer over it and ``python -m mapapp`` is the command line.
"""

__version__ = "0.1.0"
