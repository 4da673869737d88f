"""One shape for every workflow's transition table.

A table names each move, the states it may start from and the state it leads to. The service
that makes a move asks the table, and nothing else decides whether the move is allowed; a test
walks every table in the project and shows each move not in it is refused.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ccc.exceptions import Conflict


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    # None: the move keeps the state it starts from (a visit planned on an open episode).
    target: str | None


class Transitions:
    """``Transitions(Status, claim=({Status.WAITING}, Status.CLAIMED), ...)``."""

    def __init__(self, states: Iterable[str], **moves: tuple[Iterable[str], str | None]) -> None:
        self.states = frozenset(str(state) for state in states)
        self.moves: dict[str, Move] = {}
        for name, (sources, target) in moves.items():
            move = Move(frozenset(str(state) for state in sources), None if target is None else str(target))
            unknown = (move.sources | {move.target} - {None}) - self.states
            if unknown:
                raise ValueError(f"Move {name!r} names states the table does not have: {sorted(unknown)}")
            self.moves[name] = move

    def allows(self, move: str, state: str) -> bool:
        return str(state) in self.moves[move].sources

    def move(self, move: str, state: str, refusal: str | Callable[[], str] | None = None) -> str:
        """The state ``move`` leads to from ``state``; Conflict, with ``refusal`` as its message, if not allowed."""
        if not self.allows(move, state):
            message = refusal() if callable(refusal) else refusal
            raise Conflict(message or f"This cannot be done now: it is {str(state).replace('_', ' ')}.")
        target = self.moves[move].target
        return str(state) if target is None else target

    def refused(self) -> list[tuple[str, str]]:
        """Every (move, state) the table does not allow: what the walk test tries."""
        return [(name, state) for name, move in self.moves.items() for state in sorted(self.states - move.sources)]

    def __repr__(self) -> str:
        return f"Transitions({', '.join(self.moves)})"
