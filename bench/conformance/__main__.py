"""``python -m bench.conformance``: see :mod:`bench.conformance.cli`."""

from bench.conformance.cli import main

raise SystemExit(main())
