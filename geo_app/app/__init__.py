"""The Streamlit app: ``main`` (entry), ``ui`` (shared widgets), ``siting_ui`` (Scenario and Förslag).

``siting_ui`` holds those pages' rule controls, URL state and caches.

The only package that imports Streamlit; the pages in the top-level ``pages/`` folder call it.
"""
