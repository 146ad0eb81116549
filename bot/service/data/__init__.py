"""Issue 13's handlers, one module per job: offers and ``yes``/``no`` (:mod:`.offers`), ``status`` and
``digest`` (:mod:`.status`), ``forget me``/``forget room`` (:mod:`.forget`), ``calendar``
(:mod:`.calendar`), ``export``/``import`` (:mod:`.transfer`), pasted carrier notices
(:mod:`.notices`), and pings that list several lines (:mod:`.grouped`).

Importing this package registers every handler and every offer's applier.
"""
from bot.service.data import forget, status  # noqa: F401  (register their handlers)
from bot.service.data.calendar import TOKEN_RE, calendar_owner, calendar_url, feed, token_hash
from bot.service.data.grouped import group_ping, react_many, reply_to_many
from bot.service.data.notices import notice_brands, notice_formats, notice_offer
from bot.service.data.offers import OFFER_MINUTES, carry_out, confirm_by_reaction, offer
from bot.service.data.transfer import exported

__all__ = [
    "OFFER_MINUTES", "TOKEN_RE", "calendar_owner", "calendar_url", "carry_out", "confirm_by_reaction",
    "exported", "feed", "group_ping", "notice_brands", "notice_formats", "notice_offer", "offer",
    "react_many", "reply_to_many", "token_hash",
]
