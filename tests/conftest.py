"""Suite-wide settings.

Hypothesis's per-example deadline is a wall-clock limit: on a shared, loaded machine it fails
tests that are correct. Speed is measured by ``make bench``, never asserted in a test.

A shell that starts the suite in the background without job control (``nohup make test &``)
leaves SIGINT ignored, and an ignored signal stays ignored across ``exec``: every child a test
interrupts with SIGINT, as a terminal's Ctrl-C would, would never see it and the test would
hang. Taking SIGINT back here (in every xdist worker too) gives children the default.
"""

from __future__ import annotations

import signal

from hypothesis import settings

settings.register_profile("gleaner", deadline=None)
settings.load_profile("gleaner")

if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
