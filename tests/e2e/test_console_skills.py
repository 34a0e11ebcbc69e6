"""/skills in the terminal: gaps named after reflections link across no's, steps remind, close."""

from __future__ import annotations

from tests.e2e.test_console import run


def _reflect_naming(company: str, gap: str) -> list[str]:
    """A no at a technical round, reflected on (its first question is about skills), gap named."""
    return [
        f"/rejected company:{company} stage:technical",
        "1",  # Reflect now
        f"The {company} panel asked about this and I could not answer it well",
        "skip",
        "skip",  # the third and last question: the reflection closes
        "5",  # Name the gap
        gap,
    ]


def test_gaps_named_again_link_their_nos_and_steps_remind_until_done(tmp_path):
    first = run(
        tmp_path,
        [
            *_reflect_naming("Initech", "SQL window functions"),
            *_reflect_naming("Umbrella", "window functions in SQL"),
            *_reflect_naming("Hooli", "Window Function in sql"),
            '/skills add name:"system design"',
            '/skills add name:"Design systems"',
            '/skills step id:1 text:"two timed window-function problems" when:friday',
            "/skills step id:1",
            "/skills step id:9 text:x when:friday",
            ":advance 1d",
            "1",  # Done, on the step's reminder
            "/skills confident id:1",
            "/skills confident id:1",
            "/streak",
            ":quit",
        ],
    )
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "You wrote about a skill gap. If you'd like, name it in a few words" in out
    assert "[5] Name the gap" in out
    assert "Added #1: SQL window functions, from your no at Initech." in out
    assert "This is the second no where SQL window functions came up." in out
    assert "This is the third no where SQL window functions came up." in out
    assert "Added #2: system design." in out
    # Word order and plurals aside, the same words name the same gap.
    assert "system design is already on your list as #2." in out
    assert 'Step added to SQL window functions: "two timed window-function problems".' in out
    assert "I'll remind you on Friday 27 November, 10:00." in out
    assert "What's the step for #1?" in out
    assert "I can't find gap #9 among yours." in out
    assert "[DM · Friday 27 November, 10:00] A step on SQL window functions" in out
    assert 'Done: "two timed window-function problems".' in out
    assert "Marked SQL window functions as confident now." in out and "3 points" in out
    assert "SQL window functions is already marked confident." in out
    # Three reflections (5 each) and one gap closed (3, once).
    assert "Points this week: 18" in out
    assert "Traceback" not in out + first.stderr

    second = run(tmp_path, ["/skills", ":reminders", ":quit"])
    out = second.stdout
    assert "#2 system design · working on it" in out
    assert "#1 SQL window functions · confident now" in out
    assert "Came up in 3 no's: Initech, Umbrella, Hooli" in out
    assert "Done: two timed window-function problems (planned for Friday 27 November)" in out
    assert "[1] #2 confident now" in out
    assert "a step on a skill gap" not in out  # done: nothing left to remind
