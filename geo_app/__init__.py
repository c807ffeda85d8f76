"""Närvarokartan: RegSO områdestyp, labour-market indicators and state presence.

Data flows one way: files → loaders (:mod:`geo_app.data.loaders`) → pure analysis
functions → layer declarations (``layers/``) → thin Streamlit pages (``pages/``).
"""

__version__ = "0.1.0"
