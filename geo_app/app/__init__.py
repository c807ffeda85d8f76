"""The Streamlit app: ``main`` (entry script and navigation) ``ui`` (widgets shared by the pages)
and ``siting_ui`` (the Scenario and Förslag pages' rule controls, URL state and caches).

The only package that imports Streamlit; the pages in the top-level ``pages/`` folder call it.
"""
