"""One shape for every state machine: the S&T task workflow (`sttasks.workflow`), directive moves
(`meetings.services`), IP status moves and renewals (`ip.services`) and a council's conclusion
(`councils.services`).

Each machine offers, for each move:

  * **what would stop it**: a function returning every reason the move cannot be made now (an empty
    list or dict: it can). Pages ask it to offer only the moves that can be made, or to grey one out
    and say why, without trying the move;
  * **apply it with the row locked**: `apply_locked(rows, pk, problems=…, apply=…)` opens one
    transaction, re-reads the row with SELECT … FOR UPDATE (two people moving one record at once cannot
    both succeed), asks the same `problems` of the row as it now stands, and either raises `Refused`
    (nothing changed) or applies the move and returns what `apply` returns. Whatever `apply` emits
    (`stims.core.events.emit`) is inside that transaction and reaches listeners only after the commit;
  * **one refusal type**: `Refused`, a `ValidationError` carrying every reason (`reasons`). Reasons that
    belong to a field are a dict (`{"date": "…"}`), as any ValidationError's, so a form puts each under
    its field; `reasons` reads them all. Pages, the API and admin actions catch `Refused` (or any
    ValidationError) and show the reasons; each machine's own name for it (`StepRefused`,
    `MoveRefused`) is a subclass.

Who may make a move at all is a named rule (`stims.core.rules`), which a machine's `problems` asks
(its refusal is then one of the reasons) or which raises PermissionDenied with its reason before the
move is tried, as each machine documents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

T = TypeVar("T")
# Every reason: a list of messages, or a dict of them by field.
Reasons = list[Any] | dict[str, Any]


class Refused(ValidationError):
    """A move that may not be made now; nothing was changed. `reasons` lists every reason."""

    @property
    def reasons(self) -> list[str]:
        return list(self.messages)


def refuse(reasons: Reasons | None, refused: type[Refused] = Refused) -> None:
    """Raises `refused(reasons)` when there is any reason; returns otherwise."""
    if reasons:
        raise refused(reasons)


def apply_locked(
    rows,
    pk,
    *,
    problems: Callable[[Any], Reasons | None],
    apply: Callable[[Any], T],
    refused: type[Refused] = Refused,
    of: tuple[str, ...] = (),
) -> T:
    """Make one move on the row `pk` of the queryset `rows`, all or nothing.

    Inside one transaction: re-read the row locked (`select_for_update`, limited to the tables `of`
    names when the query joins others), ask `problems(row)`, raise `refused(reasons)` if there is any,
    else return `apply(row)`. An exception raised by `problems` or `apply` (a PermissionDenied from a
    rule, a ValidationError of a row being saved) rolls everything back too.
    """
    with transaction.atomic():
        row = rows.select_for_update(of=of).get(pk=pk)
        refuse(problems(row), refused)
        return apply(row)
