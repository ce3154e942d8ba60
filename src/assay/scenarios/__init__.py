"""Seeds: loading, validation and selection; `data/seeds` ships the library."""

from ._load import library_path, load_library, load_seeds
from ._select import select_seeds

__all__ = ["library_path", "load_library", "load_seeds", "select_seeds"]
