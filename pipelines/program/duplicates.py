"""Near-duplicate proposals: pairs whose texts are almost the same (rapidfuzz)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from pipelines.program.parse import Proposal

# On the program's own text the one near-identical pair scores 92 and the next-closest
# pair 55; 80 keeps a wide margin on both sides.
THRESHOLD = 80.0


@dataclass(frozen=True)
class NearDuplicate:
    first: str  # proposal_id, earlier in the document
    second: str
    score: float


def near_duplicates(proposals: list[Proposal], threshold: float = THRESHOLD) -> list[NearDuplicate]:
    """Every pair of proposals whose texts match at `threshold` or above (0–100)."""
    texts = [" ".join(p.text.casefold().split()) for p in proposals]
    if len(texts) < 2:
        return []
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=threshold)
    pairs = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if scores[i, j] >= threshold:
                pairs.append(
                    NearDuplicate(
                        proposals[i].proposal_id, proposals[j].proposal_id, float(scores[i, j])
                    )
                )
    return pairs
