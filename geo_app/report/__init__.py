"""The printable brief per kommun or län: content (the app's own figures), map, HTML, PDF, CLI.

``content`` gathers the figures from the Jämför and Närvaroluckor view functions, ``mapimage``
draws the map, ``html`` and ``pdf`` make the documents, ``brief`` ties them together and
writes files atomically, ``cli`` is ``geo-app brief``. See docs/brief.md.
"""
