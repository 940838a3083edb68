"""A learned, explainable scorer: calibrated probabilities of insult, hate, threat, self-harm
and general toxicity for a normalised mention (French first, English).

Linear models over word, character and lexicon-class features (see `features`), trained by
`python -m playbooks.scorer train` (`make model`) and shipped as `playbooks/models/scorer.npz`
(numpy only at run time). Playbooks use it through the `model` condition.
"""

from .runtime import LABEL_NAMES, MODEL_PATH, Scorer, get_scorer
from .scores import Contribution, Scores

__all__ = ["LABEL_NAMES", "MODEL_PATH", "Contribution", "Scorer", "Scores", "get_scorer"]
