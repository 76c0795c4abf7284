"""Signals: what a page shows besides its claims — spam and prices.

Spam: :mod:`.spam` weighs the page-level cues of :mod:`.spam_cues` and the spun-text
model of :mod:`.spun` into a ``SpamResult``. Prices: :mod:`.prices` builds ``Price``s
from the amounts of :mod:`.money` (currencies from :mod:`.currencies`), the items of
:mod:`.price_items`, the offer words of :mod:`.offers` and the controlled substances of
:mod:`.substances`; amount-less offers are ``Offer``s.
"""
