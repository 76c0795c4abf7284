"""Verdicts: compare what a claim says with what the evidence supports.

:mod:`.language` flags overstatement the wording itself shows, for any treatment;
:mod:`.matching` finds what a claim is about and retrieves the entries that bear on it;
:mod:`.rules` holds the evidence checks, one per reason; :mod:`.judge` combines them
into each claim's verdict, reasons, severity and citations.
"""
