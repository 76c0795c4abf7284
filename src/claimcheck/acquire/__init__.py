"""Acquire: a URL, a file, standard input or a WARC record becomes a ``Page`` of raw bytes.

:mod:`.fetch` is the one HTTP path (size caps, redirects, robots.txt, content checks)
over the address guard of :mod:`.netguard`; :mod:`.sniff` tells binary from text and
finds the declared charset; :mod:`.crawl` finds a site's pages for an audit, and
:mod:`.warc` keeps and replays the bytes as served.
"""
