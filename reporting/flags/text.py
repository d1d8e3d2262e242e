"""Small helpers that make flag explanations read aloud well."""

from __future__ import annotations

from collections.abc import Sequence

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def number(n: int, *, capital: bool = False) -> str:
    word = NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)
    return word[:1].upper() + word[1:] if capital else word


def plural(n: int, singular: str, many: str | None = None) -> str:
    return singular if n == 1 else (many or f"{singular}s")


def counted(n: int, singular: str, many: str | None = None, *, capital: bool = False) -> str:
    """'three appointments', 'One injury'."""
    return f"{number(n, capital=capital)} {plural(n, singular, many)}"


def join_words(items: Sequence[str], *, limit: int = 8) -> str:
    """'a, b and c'; long lists end with 'and N more'."""
    shown = list(items[:limit])
    if len(items) > limit:
        return ", ".join(shown) + f" and {len(items) - limit} more"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]
