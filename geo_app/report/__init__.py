"""The printable brief per kommun or län: content (the app's own figures), map, HTML, PDF, CLI.

``content`` gathers the figures from the Jämför and Närvaroluckor view functions (parts in
``context``, ``figures``, ``presence_text``), ``mapimage``
draws the map, ``html`` and ``pdf`` make the documents, ``brief`` ties them together and
writes files atomically; ``geo-app brief`` is :mod:`geo_app.cli.brief`. See docs/brief.md.
"""
