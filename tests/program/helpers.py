"""Walking a project through the program in tests."""

from __future__ import annotations

from tests.support import Chat


async def request(
    merchant: Chat, name: str = "Duka Online", objective: str = "Collections by USSD push"
) -> str:
    await merchant.say("integrate")
    await merchant.press_label("Yes")
    await merchant.say(name)
    await merchant.say("CP-778812")
    await merchant.say("Online shop taking mobile money at checkout")
    await merchant.press_label(objective)
    await merchant.press_label("Done")
    await merchant.say("WooCommerce on PHP 8.2")
    await merchant.press_label("Skip")
    return await merchant.press_label("Confirm")


async def through_checklist(lead: Chat, reference: str, count: int) -> str:
    for n in range(1, count + 1):
        await lead.say(f"check {reference} {n}")
    return await lead.say(f"advance {reference}")
