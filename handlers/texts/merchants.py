"""Who speaks for a merchant: linking and unlinking chat identities (team-facing)."""

EN: dict[str, str] = {
    "prj.link.bad_identity": (
        "“{identity}” is not a chat identity. Give it as telegram:<user id>, slack:<user id> "
        "(U…) or console:<name>."
    ),
    "prj.link.elsewhere": (
        "{identity} already speaks for {name}. Unlink it there first (unlink PRJ-n {identity})."
    ),
    "prj.link.done": (
        "{identity} now speaks for {name} ({reference}): their tickets are linked to the merchant "
        "and they can follow progress and run UAT."
    ),
    "prj.team.linked": "{identity} now speaks for {name} (linked by {actor}).",
    "prj.unlink.removed": "{identity} no longer speaks for {name}.",
    "prj.unlink.absent": "{identity} does not speak for {name}.",
    "prj.unlink.last": (
        "{identity} is the only identity speaking for {name}: link another one first."
    ),
    "prj.detail.people": "Speaking for the merchant: {identities}",
}
