"""Status choices read from a model's transition table, so forms and the API offer only what it allows."""

from django.db import models


def move_choices(model: type[models.Model], state: str | None = None) -> list[tuple[str, str]]:
    """The (status, label) choices ``model.TRANSITIONS``'s moves lead to: from ``state`` when given,
    else from anywhere. In the order of the model's Status."""
    table = model.TRANSITIONS
    targets = {move.target for name, move in table.moves.items() if state is None or table.allows(name, state)}
    return [(value, label) for value, label in model.Status.choices if value in targets]
