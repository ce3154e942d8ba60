"""Seeds: loading, validation and selection; `data/seeds` ships the library."""

from ._from_audit import REPLAY_TAG, replay_seed, seed_from_audit, write_replay_seed
from ._generate import GeneratedSeeds, generate_seeds, is_duplicate
from ._load import behaviour_hint, known_seeds, library_path, load_library, load_seeds
from ._petri import PetriImport, import_petri, installed_petri_seeds, write_seeds
from ._select import select_seeds

__all__ = [
    "REPLAY_TAG",
    "GeneratedSeeds",
    "PetriImport",
    "behaviour_hint",
    "generate_seeds",
    "import_petri",
    "installed_petri_seeds",
    "is_duplicate",
    "known_seeds",
    "library_path",
    "load_library",
    "load_seeds",
    "replay_seed",
    "seed_from_audit",
    "select_seeds",
    "write_replay_seed",
    "write_seeds",
]
