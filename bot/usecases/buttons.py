"""Button presses: the action id says what a button acts on, and which use case handles it."""

from __future__ import annotations

from bot.actions import Action
from bot.models import Context
from bot.usecases import (
    account,
    boards,
    buddies,
    checkins,
    connections,
    followups,
    hired,
    reflection,
    rejections,
    reminders,
    skills,
    timeline,
    writing,
)
from bot.usecases.kit import Kit
from bot.usecases.outcome import Outcome
from bot.vocab import UserError


async def press(kit: Kit, ctx: Context, action_id: str) -> Outcome:
    """A button press: route it by its action id; ids that name nothing are refused kindly."""
    action = Action.parse(action_id)
    if action is None:
        raise UserError("error.unknown_button")
    first, second = action.arg(0), action.arg(1)
    match action.verb, action.sub, first:
        case "reflect", "start", int():
            return await reflection.reflect(kit, ctx, rejection_id=first)
        case "reflect", ("skip" | "stop") as sub, int():
            return await reflection.reflection_action(kit, ctx, sub, first, second)
        case "step", ("when" | "none" | "done") as sub, int():
            return await reflection.step_action(kit, ctx, sub, first, second)
        case "followup", "new", int():
            return await followups.followup_add(kit, ctx, rejection_id=first)
        case "followup", ("sent" | "snooze" | "skip") as sub, int():
            return await followups.followup_mark(kit, ctx, first, sub)
        case "share", ("ask" | "named" | "anon" | "cancel") as how, int():
            return await rejections.share(kit, ctx, first, how)
        case "rejected", "later", _:
            return await rejections.later(kit, ctx)
        case "rejected", "stage", int():
            return await rejections.at_stage(kit, ctx, first)
        case "timeline", "page", int():
            return await timeline.rejections_list(kit, ctx, page=first)
        case "timeline", "delete", int():
            return await timeline.rejections_delete(kit, ctx, id=first, confirmed=True)
        case "timeline", "keep", int():
            return await timeline.kept(kit, ctx, first)
        case "skill", "confident", int():
            return await skills.skills_mark(kit, ctx, id=first, status="confident")
        case "skill", "done", int():
            return await skills.step_done(kit, ctx, first)
        case "hired", how, int():
            return await hired.choice(kit, ctx, how, first)
        case "outcome", word, int():
            return await connections.answer(kit, ctx, word, first)
        case "skill", "name", int():
            return await skills.ask_name(kit, ctx, first)
        case "checkin", "mood", int():
            return await checkins.checkin(kit, ctx, mood=first)
        case "rem", ("snooze" | "skip" | "stop") as verb, int():
            return await reminders.act(kit, ctx, verb, first, second)
        case "board", "join", None:
            return await boards.leaderboard(kit, ctx, "join")
        case "board", ("week" | "month" | "all") as view, None:
            return await boards.leaderboard(kit, ctx, "show", view)
        case "forget", "confirm", None:
            return await account.forget(kit, ctx, confirmed=True)
        case "forget", "cancel", None:
            return await account.forget_cancelled(kit, ctx)
        case "write", sub, _:
            return await writing.press(kit, ctx, sub, first)
        case "buddy", ("met" | "missed" | "another" | "block" | "stay") as sub, int():
            return await buddies.press(kit, ctx, sub, first, second)
    raise UserError("error.unknown_button")
