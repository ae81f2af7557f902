"""assure-qa: cited answers from councils' adult social care assurance documents."""

from .config import Settings, set_offline_environment
from .errors import (
    AssureQAError,
    BadQuestion,
    CorpusError,
    IndexCorrupt,
    IndexMismatch,
    IndexMissing,
    UnreadableDocument,
)
from .records import Answer, Chunk, Citation, Document, Filters, Hit
from .service import Assistant

__all__ = [
    "Answer", "Assistant", "AssureQAError", "BadQuestion", "Chunk", "Citation", "CorpusError",
    "Document", "Filters", "Hit", "IndexCorrupt", "IndexMismatch", "IndexMissing", "Settings",
    "UnreadableDocument", "set_offline_environment",
]
__version__ = "0.4.0"
