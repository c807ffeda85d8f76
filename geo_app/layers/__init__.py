"""Layer declarations (``layers/*.toml``), layers made from imports, and the data bundle.

``spec`` (:class:`LayerSpec`, :func:`load_layers`), ``imported`` (layers from the user's
imports), ``bundle`` (:class:`Bundle`: frames + declarations, what every view reads).
"""

from geo_app.layers.bundle import Bundle, load_bundle
from geo_app.layers.spec import LayerSpec, load_layers

__all__ = ["Bundle", "LayerSpec", "load_bundle", "load_layers"]
