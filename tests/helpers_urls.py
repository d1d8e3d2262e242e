"""Walking every URL pattern of the service with real ids: the restricted-content sweep and the
outsider test use it, so a new endpoint is covered by both without being listed anywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def url_patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(route, pattern) for every URL pattern, with the routes of the includes joined."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def route_arguments(route: str) -> list[str]:
    regex_args = re.findall(r"\(\?P<(\w+)>([^)]*)\)", route)
    return [name for name, _ in regex_args] or re.findall(r"<(?:\w+:)?(\w+)>", route)


def paths_for(route: str, values: dict[str, list[str]], *, why: str = "swept") -> list[str]:
    """Every concrete path of a route (Django path syntax or a regex) with the given values."""
    regex_args = re.findall(r"\(\?P<(\w+)>([^)]*)\)", route)
    names = route_arguments(route)
    missing = [name for name in names if name not in values]
    assert not missing, f"No value for {missing} in {route!r}: add one so the endpoint is {why}."
    paths = [route]
    for name in names:
        expanded = []
        for path in paths:
            for value in values[name]:
                if regex_args:
                    pattern = next(p for n, p in regex_args if n == name)
                    if not re.fullmatch(pattern, value):
                        continue
                    expanded.append(re.sub(r"\(\?P<" + name + r">[^)]*\)", value, path, count=1))
                else:
                    expanded.append(re.sub(r"<(?:\w+:)?" + name + ">", value, path, count=1))
        paths = expanded
    return ["/" + p.lstrip("^").rstrip("$").replace("\\.", ".") for p in paths]
