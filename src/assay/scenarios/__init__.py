"""Seeds: loading, validation and selection; `data/seeds` ships the library."""

from ._generate import GeneratedSeeds, generate_seeds, is_duplicate
from ._load import behaviour_hint, library_path, load_library, load_seeds
from ._petri import PetriImport, import_petri, installed_petri_seeds, write_seeds
from ._select import select_seeds

__all__ = [
    "GeneratedSeeds",
    "PetriImport",
    "behaviour_hint",
    "generate_seeds",
    "import_petri",
    "installed_petri_seeds",
    "is_duplicate",
    "library_path",
    "load_library",
    "load_seeds",
    "select_seeds",
    "write_seeds",
]
