"""Language-neutral event extraction: `Analysis` in, `Event`s out. `events.py` runs the stages in order:
encounter mentions (`mentions.py`), arguments within the clause (`arguments.py`), same-encounter
coreference and runs of meetings (`coreference.py`), status (`status.py`), slots (`slots.py`), visits
(`visit.py`); `common.py` holds what they share."""

from kurultai.extract.events import Extractor

__all__ = ["Extractor"]
