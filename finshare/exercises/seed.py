"""Per-student data: a seed from the student id, so answers cannot simply be copied.

The seed is a stable hash (SHA-256) of the exercise name, the id and a
stream name, so each exercise and each data set within it (the documents a
student sees, the hidden ones the grader adds) has its own numbers, the same
on every machine and in every run.
"""
from __future__ import annotations

import hashlib

import numpy as np


def normalise_id(student_id) -> str:
    """The id as the seed reads it: text, surrounding blanks removed."""
    return "" if student_id is None else str(student_id).strip()


def student_seed(student_id, exercise: str, stream: str = "visible") -> int:
    """A 63-bit seed for ``student_id``'s data of ``exercise``.

    Examples
    --------
    >>> student_seed("2023001", "01-journal-entries") == student_seed(" 2023001 ", "01-journal-entries")
    True
    """
    text = f"finshare-exercises|{exercise}|{stream}|{normalise_id(student_id)}"
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") >> 1


def rng(student_id, exercise: str, stream: str = "visible") -> np.random.Generator:
    """A numpy generator seeded by :func:`student_seed`."""
    return np.random.default_rng(student_seed(student_id, exercise, stream))
