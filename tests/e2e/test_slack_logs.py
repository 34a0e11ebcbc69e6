"""The real Bolt app at LOG_LEVEL=DEBUG: no word a person typed reaches a log."""

# The fixtures are imported from their own modules, and pytest passes them in by name.
# ruff: noqa: F401, F811

from __future__ import annotations

import logging

from tests.e2e.logcheck import debug_logs, leaked, records
from tests.e2e.slack_double import command_body, post
from tests.e2e.test_slack import FORM, double, event, slack, text_of

TYPED = ("Vantablack Widgets", "marmalade lighthouse keeper", "periwinkle harbour answer")


async def test_a_journey_at_debug_logs_none_of_the_words_typed(double, slack, debug_logs):
    url, _ = slack
    line = f"{TYPED[0]}, final round - {TYPED[1]}"
    assert (await post(url, command_body(double, "/rejected", line), FORM))[0] == 200
    [reply] = await double.wait_for(lambda calls: double.called("response_url"))
    assert TYPED[0] in text_of(reply.body)
    answer = {
        "type": "message",
        "channel_type": "im",
        "channel": "DU1",
        "user": "U1",
        "text": TYPED[2],
        "ts": "2.0",
    }
    assert (await post(url, event("Ev1", answer), "application/json"))[0] == 200
    await double.wait_for(lambda calls: double.called("chat.postMessage"))
    logged = records(debug_logs)
    # The log was at DEBUG, and the libraries' own records were captured.
    assert any(r.levelno == logging.DEBUG for r in logged)
    assert any(r.name.startswith(("slack", "aiohttp")) for r in logged)
    assert leaked(debug_logs, TYPED) == []
