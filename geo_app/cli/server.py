"""``geo-app serve`` and ``geo-app hash-password``: running the app for an agency."""

from __future__ import annotations

import argparse
import os
import sys

from geo_app.cli._common import EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from geo_app.app import serve_config
    from geo_app.data import loaders, user_store
    from geo_app.views import static_files

    loaders.load_catalogue()  # fail early, with a clear message, if the data is missing
    user_store.backend()  # open the store once: migrate an old one, sweep stale temporary files
    launcher = serve_config.write_launcher()
    static_files.prune(launcher.parent / "static")
    env = serve_config.serve_environment(dict(os.environ), launcher.parent / "static")
    cmd = [sys.executable, "-m", "streamlit", "run", str(launcher)]
    if args.port is not None:
        cmd.append(f"--server.port={args.port}")
    print(" ".join(cmd), file=sys.stderr, flush=True)
    # Become the server (exec, not a child process): stopping `geo-app serve` stops Streamlit,
    # instead of leaving an orphaned server behind.
    os.execve(sys.executable, cmd, env)


def _cmd_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from geo_app.app import credentials

    password = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass("editor password: ")
    print(credentials.hash_password(password))
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``serve`` and ``hash-password``."""
    p = sub.add_parser("serve", help="start the Streamlit app")
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(func=_cmd_serve)
    p = sub.add_parser("hash-password", help="print the hash of an editor password (for GEO_APP_EDITOR_PASSWORD_HASH)")
    p.add_argument("--stdin", action="store_true", help="read the password from stdin instead of the terminal")
    p.set_defaults(func=_cmd_hash_password)
