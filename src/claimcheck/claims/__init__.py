"""Claims: which units are checkable assertions, of what kinds, resting on what numbers.

:mod:`.detect` is the claim classifier (``find_claims``, ``ClaimModel``); it reads the
cue phrases of :mod:`.lexicon` and the numbers of :mod:`.quantities`.
"""
