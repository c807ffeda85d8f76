"""``python -m geo_app.streamlit_launcher run app.py …``: Streamlit's own CLI with one setting changed.

Streamlit treats a folder called ``pages/`` beside the entry script as an old-style
(v1) multipage app until the first ``st.navigation`` call of the process. The very
first visitor after a start who opens a link to a page other than the start page
(``/jamfor?…``, ``/luckor``) then saw a "Page not found" dialog before the right
page appeared. The app always uses ``st.navigation``, so the launcher says so up
front. (This module and :mod:`geo_app.ui` are the only ones that import Streamlit.)
"""

from __future__ import annotations

import sys


def main() -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False  # pages come from st.navigation in app.py, not from pages/
    sys.argv = ["streamlit", *sys.argv[1:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
