"""A table of how people write about crisis, and everyday talk that only looks like it.

The sentences were written for this table, in the voices people use in a job-search community:
lowercase, typos, texting shorthand, long notes with the worrying words in the middle. They are
not copied from prompts/safety.toml; a separate table, kept elsewhere, is used to judge the net
again, so a miss here is fixed by covering how people write, never by adding this sentence.
"""

import pytest

from bot.safety import Concern

MUST_TRIGGER = [
    # wanting to die, or not to exist
    "honestly some days i just want to die",
    "I wish I could go to sleep and not wake up",
    "every night I hope I don't wake up in the morning",
    "i dont wanna be alive anymore",
    "I've started thinking it would be easier if I wasn't here",
    "part of me wants to stop existing",
    "I wish I'd never been born, tbh",
    "sometimes I think about dying and it feels like relief",
    "I want to be dead. That's the truth.",
    "I keep wishing I would just die in my sleep",
    "life isnt worth living without a job and I'm tired of pretending",
    "i'm so tired of being alive",
    "after the fourth final round no, I honestly don't see the point in living",
    "what's even the point of living at this point",
    "there's nothing left for me, I want to disappear forever",
    "I just want to disappear and never come back",
    "im done with life",
    "i've been having suicidal thoughts since the layoff",
    "thinking about suicide again",
    "I hope I die in my sleep",
    "i want to die",
    "The final round went badly and I sat in my car for an hour wanting to die.",
    "I don't think I want to be alive anymore",
    "i wish i wasnt alive",
    # burden, and the people around
    "I feel like everyone would be better off if I was gone",
    "my family would be better off without me, they'd get the insurance",
    "I'm such a burden to everyone around me",
    "i feel like a burden on my partner and it would be easier for them if i died",
    "nobody would even notice if I disappeared for good",
    "Third ghosting this month, rent is due, and I keep thinking the world would be better "
    "without me in it.",
    "no one would miss me",
    # hopelessness
    "I don't think I can go on like this",
    "I can't go on anymore",
    "there's no reason for me to keep going",
    "I've lost the will to live",
    "i have nothing left to live for",
    "theres no point in living like this",
    "i'm giving up on life honestly",
    "i cant take it anymore",
    "what is the point of life if every door closes",
    "Life's not worth it anymore",
    # intent and plans
    "Been thinking about ending things.",
    "I want it all to end",
    "i just want to end it",
    "I'm going to kill myself tonight",
    "i think im gonna end it this weekend",
    "I've decided to take my own life",
    "i'm planning to end my life after the lease runs out",
    "I'm ready to die.",
    "if this offer falls through I'm going to end it all",
    "i'm seriously considering suicide",
    "i should just kill myself and get it over with",
    "Maybe I should just end my life",
    "I'm thinking of killing myself",
    "I've been looking up painless ways to die",
    # means
    "I've been saving up my pills for when I'm ready",
    "I looked up how many pills it would take",
    "i keep driving past the bridge and thinking about jumping",
    "I want to jump off the roof of my building",
    "I thought about stepping in front of the train this morning",
    "I tied a noose in my closet last night",
    "i've written letters to my family saying goodbye",
    "I wrote my suicide note today",
    "I want to overdose on my sleeping pills",
    "i've thought about driving my car into a wall",
    "I want to slit my wrists",
    "sometimes i want to hang myself",
    "i keep thinking about putting a gun to my head",
    "I can't stop thinking about taking all my pills at once",
    "i keep thinking about how nice it would be to not wake up",
    "idk man, 200 applications, zero callbacks, i just want to go to sleep forever",
    # self-harm
    "I cut myself again last night",
    "i started cutting again after the rejection",
    "I've been burning myself with a lighter",
    "I relapsed on self harm this week",
    "I hurt myself on purpose when I got the email",
    "i keep hitting myself when I mess up interviews",
    "I scratched my arms until they bled",
    "the urge to self-harm is really strong tonight",
    "They said I wasn't a culture fit and I went home and cut my arm",
    # slang
    "kms",
    "lol another rejection, kms",
    "i want to unalive myself",
    "thinking about sewer slide ngl",
    "might just off myself",
    "i kinda wanna kys",
    # long notes, with the words in the middle
    "Got the rejection from Stripe this morning after five rounds, and I've spent all afternoon "
    "thinking that I'd rather not be alive than keep doing this.",
    "My recruiter called to say they went with someone internal and honestly I started "
    "googling how to kill myself before I even hung up.",
    "feeling like a failure, like i dont deserve to live",
    # evasions and how people type
    "i want to k i l l myself",
    "I want to k.i.l.l myself",
    "i w\u0430nt to die",  # Cyrillic a
    "I want to kill my\u200bself",  # zero-width space
    "sui\u00adcidal again today",  # soft hyphen
    "k1ll mys3lf",
    "i want to diiiie",
    "\uff53\uff55\uff49\uff43\uff49\uff44\uff41\uff4c",  # fullwidth
    "i want to d-i-e",
    "thinking about s u i c i d e",
    "su1c1de is all I think about",
    "i want to kil myslef",
    "everyone wud be better off without me",
    "i want 2 die",
]

MUST_NOT_TRIGGER = [
    # figures of speech around an interview
    "This interview absolutely killed me",
    "I'm dying to hear back from the hiring manager",
    "Accepting a counter-offer would be career suicide",
    "I'm going to kill it at the next interview",
    "dead tired after three panel interviews in a row",
    "I could die of embarrassment, I called the interviewer by the wrong name",
    "I'm trying to cut myself some slack this week",
    "I hurt myself at the gym so I'm limping to the onsite",
    "cut myself shaving right before the video call, great start",
    "an overdose of interviews this week, I need a nap",
    "the job hunt is killing me slowly lol",
    "I've been killing myself over these take-home assignments",
    "that's not the hill I want to die on, I'll take the lower salary",
    "I shot myself in the foot by talking about salary too early",
    "kill me now, I said 'you too' when the interviewer said enjoy your meal",
    "I almost died laughing at the interview question about pizza",
    "I'd rather die than work in ad tech again",
    "she's going to kill me for missing the call",
    "I'm hopeless at whiteboard interviews",
    "feel like I'm dying inside in these group interviews",
    # things that end, die, or get cut
    "the startup I interviewed with died last month",
    "my laptop died halfway through the coding test",
    "they cut the role before I even got to the final",
    "the hiring freeze cut the team in half",
    "I need to cut back on coffee before interviews",
    "I cut myself off from social media during the search",
    "I want to end my notice period early",
    "thinking about ending things with the recruiting agency",
    "I ended it on a good note with the recruiter",
    "I want to end this job search and finally start somewhere",
    "that was a dead end, on to the next",
    "my hopes of a callback are dead",
    "my portfolio site is dead, need to fix the hosting",
    # hanging, jumping, drowning, burning
    "I'm hanging in there, mostly",
    "they left me hanging for three weeks",
    "I hung up on a scam recruiter",
    "I'd jump at the chance to work there",
    "I was ready to jump ship from my old job anyway",
    "I'm drowning in applications",
    "I burned myself on the kettle making tea before the call",
    "I'm going to burn myself out if I keep applying at this pace",
    "I'm going to throw myself into networking next week",
    "I'm going to bury myself in LeetCode for a month",
    "had to jump on a train to make the interview on time",
    # living, waking, giving up, the point
    "I don't want to live in London anymore, the rent is insane",
    "there's no reason to live in the city if I'm working remote",
    "honestly I'm sick of living out of a suitcase for interviews",
    "I'm tired of living paycheck to paycheck",
    "I'm worried about not waking up in time for the 7am interview",
    "I never wake up before nine, so early calls are rough",
    "no point in applying there again, they froze hiring",
    "what's the point of cover letters anyway",
    "I give up on getting a reply from them",
    "I'm done with this company, they ghosted me twice",
    "i'm so done with cover letters lol",
    "I'm taking my life in a new direction, moving into UX",
    "I want to disappear from LinkedIn for a bit",
    "I wanted the ground to swallow me when I blanked",
    "I'm not ok with how they treated me",
    "I'm not going to apply there again",
    # numbers, acronyms and names that only contain a word
    "we live 5 kms from the office, so the commute is fine",
    "studying AWS KMS and IAM for the cloud role",
    "the OD consultant role at the hospital looked interesting",
    "I applied to the Suicide Prevention Lifeline for a data analyst role",
    "the company is on a suicide mission with that product strategy",
    "my friend in nursing works on a suicide prevention team",
    "applied to 13 roles, 0 replies, 1 ghosting",
    "my 401k rollover is sorted at least",
    # plain job-search talk
    "rejection number twelve. sigh. tomorrow is another day",
    "this rejection hurt more than I expected",
    "I hurt my chances by rambling",
    "I'd kill for a four-day week",
    "killing time before the interview at a cafe",
    "I was dead set on that role",
    "the take-home test was brutal, it took me all weekend",
    "sorry for the overdose of questions in this note",
    "my grandma died last year and I'm still grieving while job hunting",
    "I'm starving, the interview ran through lunch",
    "the pressure of this search makes me want to scream into a pillow",
    "they're probably better off without me on that project anyway",
    "I need to kill my habit of underselling myself",
    "I took a shot at the senior role and missed",
    "Gave away my old suits since the new job is remote",
    "I'm going to die if I have to do one more personality test",
    "the recruiter said the position is dead for now",
    "I'd die happy if I got an offer from them",
    "I want to quit this job search and travel for a month",
    "they killed my application over a typo",
    "I'm about to give up on tech and go back to teaching",
    "my motivation is on life support",
    "I'm not sure I want to live in Berlin for this job",
    "can't go on the team offsite because of a visa issue",
    "I can't do this interview on Friday, can we move it?",
    "the stress of job hunting is making me lose sleep",
    "everyone says my CV is dead boring",
    "what's the point of a 6-round process for a junior role",
    "I'm so tired of everything about LinkedIn",
    "the final round was a bloodbath",
    "I gave up on the FAANG dream and I'm happier for it",
    "I'll jump off this call in five minutes",
    "honestly my career feels like it's on its last legs",
    "the role is a self-harm support worker post at the local hospital",
    "interviewing for an overdose prevention team at the council",
    "I'm so sick of living with this uncertainty",
]

# Worrying words, said in a way that calls for a gentle check rather than the crisis message.
CHECK = [
    "im not suicidal or anything, just really tired of this",
    "I'd never hurt myself, but I'm exhausted",
    "I'm not going to kill myself over a job, don't worry",
    "no thoughts of self harm, just sad",
    "I don't want to die, I just want this search to be over",
    "I haven't cut myself in two years and I'm not starting again",
    "I used to self-harm in college but I'm okay now",
    "I can't cope with much more of this",
    "I feel completely hopeless",
    "not having any suicidal thoughts, for the record",
    "my friend's brother died by suicide and I'm supporting her through it",
    "a guy from my old team killed himself in the spring and I think about it",
]

RECALL_TARGET = 0.97
FALSE_ALARM_TARGET = 0.03


def test_the_table_is_large_and_balanced():
    assert len(MUST_TRIGGER) + len(MUST_NOT_TRIGGER) >= 150
    assert len(MUST_TRIGGER) >= 75 and len(MUST_NOT_TRIGGER) >= 75
    assert len(set(MUST_TRIGGER) | set(MUST_NOT_TRIGGER)) == len(MUST_TRIGGER) + len(
        MUST_NOT_TRIGGER
    )


def test_recall_and_false_alarms_meet_the_targets(content, capsys):
    net = content.safety
    missed = [t for t in MUST_TRIGGER if net.assess(t) is not Concern.CRISIS]
    alarms = [t for t in MUST_NOT_TRIGGER if net.assess(t) is not Concern.NONE]
    recall = 1 - len(missed) / len(MUST_TRIGGER)
    false_alarms = len(alarms) / len(MUST_NOT_TRIGGER)
    with capsys.disabled():
        print(
            f"\ncrisis table: recall {recall:.1%} ({len(MUST_TRIGGER) - len(missed)}"
            f"/{len(MUST_TRIGGER)}), false alarms {false_alarms:.1%} "
            f"({len(alarms)}/{len(MUST_NOT_TRIGGER)})"
        )
    assert recall >= RECALL_TARGET, missed
    assert false_alarms <= FALSE_ALARM_TARGET, alarms


@pytest.mark.parametrize("text", CHECK)
def test_negated_or_uncertain_words_bring_a_gentle_check(content, text):
    assert content.safety.assess(text) is Concern.CHECK


# One sentence per way of writing around a filter; each must still be read as a crisis.
EVASIONS = {
    "zero-width space": "i want to k\u200bill myself",
    "zero-width joiner": "i want to di\u200de",
    "zero-width non-joiner": "sui\u200ccide",
    "word joiner": "end my\u2060 life",
    "byte order mark": "kill\ufeff myself",
    "soft hyphen": "i want to end my li\u00adfe",
    "combining marks": "k\u0336i\u0336l\u0336l\u0336 m\u0301yself",
    "accents": "i want to dïé",
    "cyrillic look-alikes": "\u0455u\u0456\u0441\u0456d\u0430l",  # ѕuісіdаl
    "greek look-alikes": "kill mys\u03b5lf",
    "fullwidth letters": "\uff4b\uff49\uff4c\uff4c myself",
    "mathematical letters": "\U0001d424\U0001d422\U0001d425\U0001d425 myself",
    "leet digits": "k1ll mys3lf",
    "leet symbols": "$uic!de",
    "leet at sign": "i w@nt to die",
    "censoring star": "k*ll myself",
    "markdown emphasis": "i *really* want to die",
    "spoiler bars": "||i want to die||",
    "spaced letters": "k i l l myself",
    "dotted letters": "s.u.i.c.i.d.e",
    "hyphenated letters": "k-i-l-l myself",
    "spaced whole word run": "i want to d i e",
    "repeated letters": "i want to diiiieee",
    "doubled consonants": "killll myselffff",
    "no apostrophes": "i dont want to live anymore",
    "curly apostrophes": "I don\u2019t want to be alive",
    "shouting": "I WANT TO DIE",
    "run together": "#killmyself",
    "dropped letter": "i want to kill mysef",
    "swapped letters": "i want to kill mysefl",
    "texting shorthand": "every1 wud be better off w/o me",
    "number for a word": "i want 2 die",
    "ellipsis in the middle": "i just want to... disappear",
}


@pytest.mark.parametrize("kind", list(EVASIONS))
def test_each_kind_of_evasion_is_still_caught(content, kind):
    assert content.safety.assess(EVASIONS[kind]) is Concern.CRISIS, EVASIONS[kind]


# Folding look-alikes and digits must not turn ordinary text into an alarm.
FOLDING_KEEPS_QUIET = [
    "5 kms to the office",
    "I scored 1337 on the aptitude test",
    "sent 3 applications, heard back from 0",
    "my salary ask is $55k",
    "email me at k.i.l.e@example.com",
    "the role is at Ѕuісіdе Рrеvеntіоn Αustralia",  # look-alikes, still an employer's name
    "a b c d e f",
    "I'm at u.s. eastern time",
    "d.i.e.t. plan for interview week lol",
]


@pytest.mark.parametrize("text", FOLDING_KEEPS_QUIET)
def test_folding_does_not_turn_ordinary_text_into_an_alarm(content, text):
    assert content.safety.assess(text) is Concern.NONE
