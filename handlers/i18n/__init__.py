"""Languages: the Swahili (and any further) gettext catalogs beside the English source table in
`handlers/messages.py`, the language of the current turn, and dates in a person's locale."""
