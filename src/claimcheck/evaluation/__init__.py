"""Evaluation: the pipeline scored against gold annotations.

:mod:`.gold` reads both gold layouts; :mod:`.evaluate` scores a corpus (claim model
cross-validated by page); :mod:`.evaluate_external` scores the public labelled sets.
Reached through ``claimcheck eval``; the pipeline never imports it.
"""
