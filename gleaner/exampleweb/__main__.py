"""``python -m gleaner.exampleweb``: serve the example web until Ctrl-C and print its URLs."""

from __future__ import annotations

import argparse
import threading

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
    args = parser.parse_args(argv)
    web = ExampleWeb(host=args.host, delay_scale=args.delay_scale)
    try:  # Ctrl-C may arrive at any point, even while the URLs are still being printed
        with web:
            for name, url in web.base_urls.items():
                print(f"{name:<9} {url}/  {PUBLISHERS[name].story}")
            print("seeds:", " ".join(web.seeds))
            print("Serving; press Ctrl-C to stop.", flush=True)
            threading.Event().wait()
    except KeyboardInterrupt:
        print(f"\nstopped after {len(web.requests)} requests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
