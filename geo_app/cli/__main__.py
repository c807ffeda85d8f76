"""``python -m geo_app.cli``: the ``geo-app`` console script."""

import sys

from geo_app.cli import main

sys.exit(main())
