"""Files: where they live, the build that derives ``data/regso/``, loaders, catalogue and the user store.

``paths`` (folders), ``build`` (``geo-app build-data``), ``loaders`` (read the derived
files), ``catalogue`` (dataset records), ``user_store`` (the user's imports).
"""

from geo_app.data import catalogue, loaders, paths, user_store

__all__ = ["catalogue", "loaders", "paths", "user_store"]
