"""One module per kind of check; importing this package registers them all."""

from provenance.drift.checks import (attribution, content, entities, hedges, intensity, modality, negation, numbers,
                                     paraphrase, persons, quotes, scales, scope)

__all__ = ["attribution", "content", "entities", "hedges", "intensity", "modality", "negation", "numbers",
           "paraphrase", "persons", "quotes", "scales", "scope"]
