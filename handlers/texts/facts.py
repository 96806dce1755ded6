"""Payment details found in what merchants write (handlers/facts.py), as the team reads them.

English source texts; translations are in the gettext catalogs (README, Languages)."""

EN: dict[str, str] = {
    # One line on the team's alert: "Payment details: ORD20261130A7K9 · +255754111222 · ...".
    "alert.facts": "Payment details: {facts}",
}
