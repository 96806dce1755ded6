"""Secrets hidden from what merchants send (handlers/redaction.py) and what the desk says
about them.

English source texts; translations are in the gettext catalogs (README, Languages)."""

EN: dict[str, str] = {
    # The marker left where a secret was, in what is stored and shown.
    "redaction.marker": "[hidden: {what}]",
    "redaction.kind.api_key": "API key",
    "redaction.kind.client_id": "client ID",
    "redaction.kind.password": "password",
    "redaction.kind.token": "access token",
    "redaction.kind.private_key": "private key",
    "redaction.kind.card": "card number",
    "redaction.kind.cvv": "CVV",
    # Joins the last two kinds hidden from one message: "API key, access token and CVV".
    "redaction.and": "{first} and {last}",
    "redaction.notice": (
        "🔒 For your safety I hid the {what} in your message before saving it: "
        "nobody at the desk can read it."
    ),
    "redaction.rotate": (
        "A key, token or password sent in a chat must be treated as leaked: replace it now. "
        "For ClickPesa API keys: Dashboard > Settings > Developers, create a new key, then "
        "delete the old one."
    ),
    "redaction.card": (
        "Never send card details in a chat. If the card is real, call its bank to block it."
    ),
    "redaction.deleted": "I deleted your original message from this chat.",
    "redaction.delete_yourself": (
        "Please delete your original message from this chat yourself: I cannot delete it here."
    ),
}
