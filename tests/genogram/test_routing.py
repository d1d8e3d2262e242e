"""The relationship-line router on its own: round a name between two people, clear of a family line
it would otherwise run along, and bounded by its budget."""

from genogram.routing import Router, length_inside

A, B = (0.0, 0.0), (200.0, 0.0)
OWN = frozenset({"a", "b"})
SYMBOLS = [(-10.0, -10.0, 10.0, 10.0), (190.0, -10.0, 210.0, 10.0)]
NAME = (80.0, -15.0, 120.0, 15.0)


def router(budget: int = 1_000_000) -> Router:
    r = Router((-100.0, -150.0, 300.0, 150.0), budget=budget)
    r.add_wall(SYMBOLS[0], owner="a")
    r.add_wall(SYMBOLS[1], owner="b")
    r.add_wall(NAME, owner="name")
    return r


def crosses(path, rect) -> bool:
    return any(length_inside(p, q, rect) > 0 for p, q in zip(path, path[1:], strict=False))


def test_line_goes_round_a_name_between_the_two_people():
    path = router().route(A, B, OWN, SYMBOLS)
    assert path[0] == A and path[-1] == B
    assert not crosses(path, NAME)


def test_line_does_not_run_along_a_family_line():
    r = router()
    r.add_family_line([(10.0, 40.0), (190.0, 40.0)])
    r.add_family_line([(10.0, -40.0), (190.0, -40.0)])
    path = r.route(A, B, OWN, SYMBOLS)
    for y in (40.0, -40.0):
        assert all(length_inside(p, q, (10.0, y - 3, 190.0, y + 3)) <= 8 for p, q in zip(path, path[1:], strict=False))
    assert not crosses(path, NAME)


def test_routing_stops_at_its_budget():
    assert router(budget=0).route(A, B, OWN, SYMBOLS) == [A, B]
