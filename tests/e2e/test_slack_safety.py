"""The real Bolt app against the Slack double: fresh admin checks, typed text kept inert."""

from __future__ import annotations

import json

from bot.app import App
from tests.conftest import rows_in_file
from tests.e2e import test_slack as base
from tests.e2e.slack_double import SlackDouble, command_body, post
from tests.e2e.test_slack import FORM, text_of

# The same double and Bolt app as test_slack.py.
double = base.double
slack = base.slack

REFUSED = "Only this community's admins can change its Rebound settings"
SAVED = "Saved. Each change is logged"
UNCHECKED = "couldn't check with Slack whether you're an admin"


async def admin(double: SlackDouble, url: str, text: str, user: str = "UADM") -> str:
    """Run /rebound admin and return what the person reads in the private answer."""
    seen = len(double.called("response_url"))
    await post(url, command_body(double, "/rebound", f"admin {text}", user=user), FORM)
    answers = await double.wait_for(
        lambda calls: len(double.called("response_url")) > seen and double.called("response_url")
    )
    return text_of(answers[seen].body)


async def settings_of(app: App) -> dict[str, str]:
    # Every community's settings, read from the file: the interface reads one community's
    # by its id, and only a membership write (People.join) would map the workspace to it.
    return dict(rows_in_file(app.settings.db_path, "SELECT key, value FROM community_settings"))


async def test_a_demoted_admin_is_refused_at_the_next_admin_action(double, slack):
    url, app = slack
    double.admins.add("UADM")
    assert SAVED in await admin(double, url, "leaderboard:off")
    double.admins.discard("UADM")  # demoted in Slack; the process keeps running
    assert REFUSED in await admin(double, url, "leaderboard:on")
    assert (await settings_of(app))["leaderboard"] == "off"


async def test_a_failed_users_info_is_explained_and_not_remembered(double, slack):
    url, app = slack
    double.admins.add("UADM")
    double.users_info_errors = 1
    answer = await admin(double, url, "sharing:off")
    assert UNCHECKED in answer and REFUSED not in answer
    assert "sharing" not in await settings_of(app)
    assert SAVED in await admin(double, url, "sharing:off")  # Slack is healthy again
    assert (await settings_of(app))["sharing"] == "off"


async def test_a_typed_command_name_is_echoed_as_typed_text(double, slack):
    url, _ = slack
    await post(url, command_body(double, "/rebound", "<!channel> a:b later"), FORM)
    [answer] = await double.wait_for(lambda calls: double.called("response_url"))
    assert "<!channel>" not in json.dumps(answer.body)  # nobody is pinged
    assert "/&lt;!channel&gt; takes options" in text_of(answer.body)  # and it still reads right
