"""Team members as people see them: by name, never by platform id.

A member's name is the one configured in `[team] names`, else the display name their platform
gave the last time they acted (remembered in the database), else a neutral "a team member".
Merchants see only these names; `assign` finds a member by id or by either name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from handlers.messages import t
from storage.store import Transaction


def display_name(member_id: str, configured: Mapping[str, str], learned: Mapping[str, str]) -> str:
    return configured.get(member_id) or learned.get(member_id) or t("team.member_unnamed")


async def name_of(tx: Transaction, configured: Mapping[str, str], member_id: str) -> str:
    if name := configured.get(member_id):
        return name
    return await tx.members.get(member_id) or t("team.member_unnamed")


def matching(
    wanted: str, members: Iterable[str], configured: Mapping[str, str], learned: Mapping[str, str]
) -> list[str]:
    """Members `wanted` names: their `channel:id`, their bare id, or either of their names,
    compared case-insensitively. Several matches mean the name is ambiguous."""
    key = wanted.strip().lstrip("@").casefold()
    if not key:
        return []
    found = []
    for member in sorted(members):
        names = (member, member.split(":", 1)[-1], configured.get(member), learned.get(member))
        if any(name and name.casefold() == key for name in names):
            found.append(member)
    return found
