"""Text: a ``Page`` becomes a ``Document``, split into units.

:mod:`.extract` decodes and extracts the main text every later offset points into;
:mod:`.segment` splits it into sentences, headings, list items and table rows;
:mod:`.literals` holds the strings without which an expression cannot match. What later
stages read in the units is found once by :mod:`claimcheck.annotate`, which uses the
lexicon, quantities and prices of the packages above this one.
"""
