"""The Streamlit app: ``main`` (entry script and navigation) and ``ui`` (widgets shared by the pages).

The only package that imports Streamlit; the pages in the top-level ``pages/`` folder call it.
"""
