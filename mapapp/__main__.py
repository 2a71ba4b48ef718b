"""``python -m mapapp``: see :mod:`mapapp.cli`."""

import sys

from .cli import main

sys.exit(main())
