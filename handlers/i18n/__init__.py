"""Languages: the Swahili (and any further) gettext catalogs beside the English source table in
`handlers/texts/`, the language of the current turn, and dates in a person's locale."""
