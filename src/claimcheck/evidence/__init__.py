"""Evidence: what is known about each treatment, and the model that embeds it.

:mod:`.base` loads and validates the domain packs under ``evidence/`` (entries, the
words that name a treatment and its conditions, typed facts the rules read);
:mod:`.embedding` is the sentence model behind a small protocol, used to index entries
and, by the claim classifier, to read units.
"""
