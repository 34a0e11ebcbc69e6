"""Issue 15's done-when, in the terminal: a month of applications and no's seen in every view."""

from __future__ import annotations

from tests.e2e.test_console import run

# Ten applications and four no's over December, two reflections naming the same gap (the
# technical stage asks about skills first), and a follow-up marked replied when asked.
MONTH = [
    '/applied company:Acme role:"Data analyst" source:LinkedIn',
    '/applied company:Initech role:"Data analyst" source:referral',
    "/applied Umbrella",
    "/rejected company:Acme stage:screen",
    ":advance 2d",
    "/applied Hooli",
    "/applied Globex",
    "/rejected company:Initech stage:technical",
    "1",
    "The SQL round asked for window functions and I had only used GROUP BY",
    "skip",
    "skip",
    "5",
    "SQL window functions",
    ":advance 3d",
    "/applied Soylent",
    "/applied Wonka",
    "/applied Stark",
    "/rejected company:Umbrella stage:final",
    "/followup add contact:Priya company:Umbrella",
    "/followup sent 1",
    ":advance 4d",
    "/applied Tyrell",
    "/applied Cyberdyne",
    "/rejected company:Hooli stage:technical",
    "1",
    "They wanted window functions in SQL again, with a running total",
    "skip",
    "skip",
    "5",
    "window functions in SQL",
    ":advance 4d",  # to Monday: the question about the note keeps off the weekend
    "1",
    "/insights",
    "/skills",
    "/ledger",
    ":quit",
]


def test_a_month_of_applications_and_nos_shows_in_insights_skills_and_ledger(tmp_path):
    result = run(tmp_path, MONTH, extra_env={"REBOUND_CLOCK_START": "2026-12-01T15:00:00+00:00"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "This is the second no where SQL window functions came up." in out
    assert "Priya replied. That's a connection now" in out
    insights = out.split("[private] Your insights", 1)[1]
    assert (
        "December: 10 applications, 4 no's (1 screening, 2 technical interview, 1 final round)"
        in insights
    )
    assert "Most no's came at the technical interview stage: 2 of 4." in insights
    skills = out.split("[private] Your skill gaps", 1)[1]
    assert "#1 SQL window functions · working on it" in skills
    assert "Came up in 2 no's: Initech, Hooli" in skills
    ledger = out.split("[private] Your ledger for December 2026, so far", 1)[1]
    for line in (
        "· 4 no's logged",
        "· 10 applications sent",
        "· 2 reflections written",
        "· 1 skill gap worked on",
        "· 1 follow-up note sent",
        "· What your notes led to: 1 reply",
    ):
        assert line in ledger
    assert "Traceback" not in out + result.stderr
