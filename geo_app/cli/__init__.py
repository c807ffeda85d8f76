"""Command line ``geo-app``: the same functions as the pages, one module per command group.

Exit codes: 0 ok, 2 invalid input (message on stderr), 1 unexpected failure.

Adding a command is a one-module change: a public module here (``geo_app/cli/NAME.py``) with
``register(sub)``, which adds its sub-parser(s) and sets ``func`` (``args -> exit code``);
:func:`make_parser` finds it. A new option of an existing command goes in that command's module;
what several commands share (exit codes, ``write_output``, the gap rule's options) is in ``_common``.
"""

from geo_app.cli._common import EXIT_FAILURE, EXIT_INPUT, EXIT_OK
from geo_app.cli._main import main, make_parser

__all__ = ["EXIT_FAILURE", "EXIT_INPUT", "EXIT_OK", "main", "make_parser"]
