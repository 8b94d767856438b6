from __future__ import annotations

from pipeline.document import Document
from pipeline.step import Drop, FilterStep

PROSE = (
    "The harbour was quiet in the early morning, and the fishermen had already gone out "
    "to sea with their nets. Along the quay the market traders were setting up their "
    "stalls, arranging crates of apples and pears that had come down from the hills the "
    "evening before. A few gulls circled overhead, waiting for scraps, while the baker at "
    "the corner of the square opened his shutters and the smell of fresh bread drifted "
    "across the cobbles to the water."
)

#: Five paragraphs of varied prose: passes every rule with its defaults.
ARTICLE = "\n".join(
    [
        PROSE,
        "Visitors who came by train in the summer walked from the station to the old "
        "lighthouse, where a small museum told the story of the lifeboat crews.",
        "In the afternoon the tide turned, and the boats came back one after another with "
        "their catch of mackerel, herring and the occasional crab.",
        "Children ran along the sea wall while their grandparents sat on benches and talked "
        "about the storms of years gone by, when waves broke over the roofs.",
        "By evening the lamps were lit along the promenade, and the smell of frying fish "
        "drifted from the little restaurants that lined the road to the pier.",
    ]
)


def reason_of(step: FilterStep, text: str, source: str = "web") -> str | None:
    verdict: Drop | None = step.decide(Document(id="d", text=text, source=source))
    return verdict.reason if verdict else None
