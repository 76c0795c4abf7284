"""claimcheck's version (the one in pyproject.toml), named in every report's ``meta`` and the User-Agent.

A module of its own, so that every stage can read it without importing the package's face.
"""

__version__ = "0.1.0"
