"""The gap matcher: a table of names that must and must not be the same gap."""

from __future__ import annotations

import pytest

from bot.skillmatch import gap_key, same_gap

SAME = [
    ("SQL window functions", "window functions in SQL"),
    ("sql window function", "Window Functions (SQL)"),
    ("system design", "System Design"),
    ("stakeholder management", "management of stakeholders"),
    ("React hooks", "hooks in react"),
    ("public speaking", "speaking in public"),
    ("salary negotiation", "negotiation of salary"),
    ("data structures", "data structure"),
    ("case studies", "case study"),
    ("behavioural questions", "questions, behavioural"),
    ("unit tests for APIs", "API unit tests"),
]
DIFFERENT = [
    ("SQL", "NoSQL"),
    ("SQL window functions", "SQL joins"),
    ("system design", "design patterns"),
    ("Python", "Java"),
    ("data analysis", "data structures"),
    ("public speaking", "public policy"),
    ("CSS", "C"),
    ("React hooks", "React Native"),
    ("Kubernetes", "Kubernete networking"),
]


@pytest.mark.parametrize(("one", "other"), SAME)
def test_these_names_are_one_gap(one, other):
    assert same_gap(one, other), (gap_key(one), gap_key(other))


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_these_names_are_different_gaps(one, other):
    assert not same_gap(one, other), (gap_key(one), gap_key(other))


def test_the_table_has_twenty_pairs():
    assert len(SAME) + len(DIFFERENT) == 20


def test_a_name_of_glue_words_only_still_has_a_key():
    assert gap_key("The Of") == "the of"
    assert gap_key("  ") == ""
