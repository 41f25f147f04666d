"""Seeded draws fast enough for millions of values, and the parsers for the compact text tables
(weights, '== header' blocks, 'a=b' pairs) that the demo data is drawn from."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import Any


def weights(table: str) -> list[tuple[str, float]]:
    return [(k, float(w)) for k, w in (item.split(":") for item in table.split())]


def blocks(table: str) -> list[tuple[str, list[list[str]]]]:
    """'== header' blocks, each with its lines (an indented line continues the one before)."""
    found: list[tuple[str, list[list[str]]]] = []
    for line in table.strip().splitlines():
        if line.startswith("== "):
            found.append((line[3:], []))
        elif line.startswith("  "):
            found[-1][1][-1].extend(line.split())
        else:
            found[-1][1].append(line.split())
    return found


def pairs(words: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a, b in (w.split("=") for w in words)]


class Rand:
    """randint and choice from one random.Random without their argument checks, which cost more
    than the draw itself when 100,000 people need a few million of them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.random = rng.random

    def int(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.random() * len(seq))]


class Pick:
    """A weighted choice drawn with one random number."""

    def __init__(self, weights: Sequence[tuple[Any, float]]) -> None:
        self.keys = [k for k, _ in weights]
        self.cum = list(accumulate(w for _, w in weights))
        self.total = self.cum[-1]

    def __call__(self, r: Rand) -> Any:
        return self.keys[bisect_right(self.cum, r.random() * self.total)]


class Deck:
    """Cards drawn without replacement and reshuffled when used up, so a share such as 'one in
    ten is UASC' holds exactly over every `size` people rather than only on average."""

    def __init__(self, r: Rand, yes: int, size: int) -> None:
        self._rng = r.rng
        self._cards = [True] * yes + [False] * (size - yes)
        self._hand: list[bool] = []

    def draw(self) -> bool:
        if not self._hand:
            self._hand = self._cards[:]
            self._rng.shuffle(self._hand)
        return self._hand.pop()
