"""View models for the pages: map specs, tables and charts (pydeck/Altair objects, no Streamlit).

``mapdata`` (browser GeoJSON), ``static_files`` (publishing it), ``mapspec`` (deck layers),
``map_view`` (the Karta page), ``gap_view`` (Närvaroluckor), ``compare_view`` (Jämför),
``scenario_view`` (Scenario and Förslag).
"""
