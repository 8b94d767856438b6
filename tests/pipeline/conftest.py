from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ARTICLE = """<html><head><title>Harbour morning</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour morning</h1>
<p>The harbour was quiet in the early morning, and the fishermen had already gone out to sea
with their nets. Along the quay the market traders were setting up their stalls, arranging
crates of apples and pears that had come down from the hills the evening before.</p>
<p>A few gulls circled overhead, waiting for scraps, while the baker at the corner of the square
opened his shutters and the smell of fresh bread drifted across the cobbles to the water. It was
the kind of morning that the town had been known for since the old railway first brought visitors
from the city, and the people who lived there were proud of it. Later the boats came back with
their catch, and the market filled with buyers from the inland villages.</p>
</article><footer>Copyright Example Press. All rights reserved.</footer></body></html>"""


def make_warc(path: Path, pages: list[tuple[str, str, int, str]]) -> Path:
    """Write (url, body, status, content type) responses to a gzipped WARC."""
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, body, status, ctype in pages:
        http = StatusAndHeaders(f"{status} OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=BytesIO(body.encode()), http_headers=http
        )
        writer.write_record(record)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def tiny_warc(tmp_path: Path) -> Path:
    return make_warc(
        tmp_path / "tiny.warc.gz",
        [
            ("http://127.0.0.1:1/a", ARTICLE, 200, "text/html; charset=utf-8"),
            ("http://127.0.0.1:1/img.png", "PNG", 200, "image/png"),
            ("http://127.0.0.1:1/missing", "<html>gone</html>", 404, "text/html"),
            (
                "http://127.0.0.1:1/latin",
                ARTICLE.replace("quiet", "qui\u00e9t"),
                200,
                "text/html; charset=nonsense-charset",
            ),
        ],
    )


OTHER = """<html><head><title>Mountain evening</title></head><body>
<article><h1>Mountain evening</h1>
<p>Up in the valley the last walkers were coming down from the ridge as the light turned amber,
their boots heavy with the mud of the upper path. The hut warden counted them in at the door and
wrote each name in a ledger that had been kept since the first refuge was built on the col.</p>
<p>Inside, a stove ticked as it warmed, soup was served in tin bowls, and somebody unfolded a map
to argue about the route for the next day. Outside the wind picked up over the scree, and the
goats that grazed the lower meadow moved closer to the stone wall for shelter from the cold.</p>
<p>Before dawn the warden lit the lamps again. The first party left with head torches bobbing
along the moraine, and the rest followed once the sun had reached the far summit. By noon the hut
was quiet, and only the ledger on the table showed how many people had slept there that night.</p>
</article></body></html>"""


@pytest.fixture
def warcs(tmp_path: Path) -> Path:
    folder = tmp_path / "warcs"
    folder.mkdir()
    html = "text/html; charset=utf-8"
    make_warc(
        folder / "a.warc.gz",
        [
            ("http://127.0.0.1:1/a", ARTICLE, 200, html),
            ("http://127.0.0.1:1/copy", ARTICLE, 200, html),
        ],
    )
    make_warc(folder / "b.warc.gz", [("http://127.0.0.1:2/b", OTHER, 200, html)])
    return folder
