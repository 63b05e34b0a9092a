"""Readers: bytes in, `Document` out."""

from kurultai.sources.txt import read_txt

__all__ = ["read_txt"]
