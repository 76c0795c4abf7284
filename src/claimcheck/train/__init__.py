"""Training the two learned models, reached through ``claimcheck train``.

:mod:`.claims` fits the claim classifier on gold-annotated corpora; :mod:`.spinner`
spins clean sentences and fits the spun-text classifier on them. Both save plain arrays
under ``claimcheck/data``. The pipeline and the ``check``/``audit`` commands never
import this package (a test holds them to it).
"""
