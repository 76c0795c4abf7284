"""Training the claim model on gold-annotated corpora (``claimcheck train``).

Each page is read and labelled as :mod:`claimcheck.evaluation.evaluate` reads it, every
unit labelled by the gold claim it matches; the model is the run-time
:class:`~claimcheck.claims.detect.ClaimModel`, saved as sparse arrays where the
pipeline loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..claims.detect import ClaimModel, bundled_model_path
from ..evaluation.evaluate import load_corpus, training_examples
from ..evidence.embedding import default_embedder


def train_claim_model(folders: Sequence[str | Path], output: str | Path | None = None) -> ClaimModel:
    """Train the claim model on every page of the given corpora and save it (default: the bundled file)."""
    examples = [e for folder in folders for page in load_corpus(folder) for e in training_examples(page)]
    model = ClaimModel(embedder=default_embedder()).fit(examples)
    model.save(output or bundled_model_path())
    return model
