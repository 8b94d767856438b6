"""``python -m gleaner.exampleweb``: serve the example web until Ctrl-C and print its URLs.

``--ports FILE`` serves each publisher on the port a demo recorded (``gleaner demo`` writes
``exampleweb.json``), so the demo dataset's hosts answer again; ``--opt-out NAME`` has a
publisher refuse the training token from the start (a late opt-out, for
``gleaner optout refresh``).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

from ._web import ExampleWeb
from .publishers import PUBLISHERS

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gleaner.exampleweb",
        description="Serve the bundled example web on 127.0.0.1 until Ctrl-C.",
        epilog="Example: python -m gleaner.exampleweb --delay-scale 0",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--delay-scale", type=float, default=1.0, help="multiply artificial slowness (0 = none)"
    )
    parser.add_argument("--ports", type=Path, help="serve on the ports of a demo's exampleweb.json")
    parser.add_argument(
        "--opt-out",
        action="append",
        default=[],
        choices=sorted(PUBLISHERS),
        metavar="NAME",
        help="this publisher refuses the training token (repeatable)",
    )
    args = parser.parse_args(argv)
    try:
        ports = _ports(args.ports) if args.ports else None
        web = ExampleWeb(host=args.host, delay_scale=args.delay_scale, ports=ports)
        web.start()  # a port taken since the demo: one line, not a traceback
    except (OSError, ValueError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    try:  # Ctrl-C may arrive at any point, even while the URLs are still being printed
        for name in args.opt_out:
            web.opt_out_of_training(name)
            print(f"{name} now refuses the training token")
        for name, url in web.base_urls.items():
            print(f"{name:<9} {url}/  {PUBLISHERS[name].story}")
        print("seeds:", " ".join(web.seeds))
        print("Serving; press Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        print(f"\nstopped after {len(web.requests)} requests")
    finally:
        web.stop()
    return 0


def _ports(path: Path) -> dict[str, int]:
    """Publisher -> port from a demo's ``exampleweb.json`` (publisher -> base URL)."""
    try:
        urls = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not readable as the demo's example-web ports ({exc})") from exc
    ports = {name: urlsplit(url).port for name, url in urls.items() if name in PUBLISHERS}
    if not ports or None in ports.values():
        raise ValueError(f"{path}: no publisher ports in it")
    return {name: int(port) for name, port in ports.items() if port is not None}


if __name__ == "__main__":
    raise SystemExit(main())
