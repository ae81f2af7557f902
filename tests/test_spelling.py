"""Typing slips are read as the corpus word meant; real words the corpus lacks are left alone."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assure_qa import Settings
from assure_qa.sparse import tokenize
from assure_qa.spelling import Slips, Speller, edits, english_words, is_word

from .conftest import one_document

CORPUS = ("The quality statement scores were published. Referrals rose; referrals for advocacy doubled. "
          "The dashboard shows the boarding house and the holders of the licence. Assessing needs was "
          "scored 2. Safeguarding enquiries were timely.")


@pytest.mark.parametrize("a, b, distance", [("statment", "statement", 1), ("assesing", "assessing", 1),
                                            ("dashbord", "dashboard", 1), ("referalls", "referrals", 2),
                                            ("recieve", "receive", 1), ("hoarders", "holders", 2)])
def test_edits_count_letters_added_dropped_changed_and_swapped(a: str, b: str, distance: int) -> None:
    assert edits(a, b, 2) == distance
    assert edits(a, b, distance - 1) == distance  # past the limit: limit + 1


def _slips(text: str = CORPUS) -> Slips:
    known = set(tokenize(text))  # as the index knows them: stemmed tokens
    return Slips(known.__contains__, lambda: [text], english_words(Settings().model_package))


@pytest.mark.parametrize("question, read", [
    ("greyford quality statment scores", "greyford quality statement scores"),
    ("advocacy referalls 2024/25", "advocacy referrals 2024/25"),
    ("Dashbord for assesing waits", "Dashboard for assessing waits"),
])
def test_a_slip_is_read_as_the_corpus_word_meant(question: str, read: str) -> None:
    corrected, notes = _slips().read(question)
    assert corrected == read and notes


@pytest.mark.parametrize("question", [
    "How many people with hoarding disorder were supported?",  # not "boarding": another first letter
    "How many hoarders were supported?",  # not "holders": two edits in eight letters
    "What did Ofsted say?",  # a name is not a slip
    "What is the DOLS backlog?",  # nor an acronym
    "Who keeps staff safe when working alone?",  # English, though the corpus lacks it: not "along"
    "Why did they shorten the agreement?",  # "short" with an ending: not "shorter"
    "Has the council finished rewriting the rules?",  # "writing" with a beginning: not "recruiting"
])
def test_real_words_names_and_acronyms_are_left_alone(question: str) -> None:
    assert _slips().read(question) == (question, [])


def test_the_speller_is_built_only_for_an_unknown_word() -> None:
    built = []
    slips = Slips(lambda token: True, lambda: built.append(1) or [CORPUS], frozenset({"scores"}))
    assert slips.read("statment scores") == ("statment scores", []) and not built
    assert Speller(Counter({"statement": 3, "statements": 9})).meant("statment") == "statement"


def test_an_answer_reads_a_slip_and_says_so(tmp_path: Path) -> None:
    assistant = one_document(tmp_path, "anytown-report.txt", "Anytown report\n\n1. " + CORPUS + "\n")
    answer = assistant.ask("When were the quality statment scores publshed?")
    assert "read “statment” as “statement”" in answer.notes
    assert assistant.search("dashbord")[0].chunk.text.count("dashboard") == 1


def test_english_words_come_from_the_packaged_models_vocabulary() -> None:
    words = english_words(Settings().model_package)
    assert {"alone", "meant", "drove"} <= words and not {"statment", "dashbord"} & words
    assert is_word("shorten", words) and is_word("rewriting", words) and not is_word("assesment", words)
    assert english_words("json") == frozenset()  # a package without a vocabulary: no slips are read
    assert Slips(lambda token: False, lambda: [CORPUS], frozenset()).read("statment") == ("statment", [])
