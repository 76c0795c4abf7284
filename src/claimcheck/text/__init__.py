"""Text: a ``Page`` becomes a ``Document``, and the document becomes ``Unit``s.

:mod:`.extract` decodes and extracts the main text every later offset points into;
:mod:`.segment` splits it into sentences, headings, list items and table rows.
"""
