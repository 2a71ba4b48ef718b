"""``python -m mapapp``: see :mod:`mapapp.cli`."""

import sys

from mapapp.cli import main

sys.exit(main())
