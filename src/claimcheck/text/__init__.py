"""Text: a ``Page`` becomes a ``Document``, and the document an ``AnnotatedDocument``.

:mod:`.extract` decodes and extracts the main text every later offset points into;
:mod:`.segment` splits it into sentences, headings, list items and table rows;
:mod:`.annotate` finds, once, what later stages read in those units (cue phrases,
quantities, prices).
"""
