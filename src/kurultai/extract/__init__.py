"""Language-neutral event extraction: `Analysis` in, `Event`s out (see events.py)."""

from kurultai.extract.events import Extractor

__all__ = ["Extractor"]
