"""The daily-question bank: our own questions, tagged by theme.

A question's key is ``<theme>-<number>`` (its place within its theme, from 1). Keys are stored with
every daily question, so never reorder or delete: only append, and reword with care.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

THEMES: dict[str, str] = {
    "boundaries": "Boundaries",
    "growth": "Individual growth",
    "vulnerability": "Vulnerability",
    "trust": "Trust",
    "shared_goals": "Shared goals",
    "communication": "Communication",
    "me_we": "Me-time and we-time",
    "fun": "Fun",
}

_BANK: dict[str, list[str]] = {
    "boundaries": [
        "What is one thing you'd like more room for this week?",
        "When did you last say no to something and feel good about it?",
        "Is there a topic you'd rather we approach gently? How should we?",
        "What's a small request you've been holding back from making?",
        "How do you like to be approached when you've had a hard day?",
        "What does a good evening alone look like for you right now?",
        "Which of your habits do you wish I asked about instead of assumed?",
        "Is there anything about our phones and messages you'd like to agree on?",
        "What's something you need to hear before a difficult conversation?",
        "When do you most need quiet, and how can I tell?",
        "What's a boundary of mine you've come to appreciate?",
        "How do you want us to handle plans with friends and family this month?",
        "What would make it easier for you to say 'not now' to me?",
        "Which of your commitments would you protect even on a busy week?",
        "Is there a way I help that sometimes feels like too much?",
        "What's one thing that's yours alone and should stay that way?",
        "How much notice do you like before a change of plans?",
        "What's a promise to yourself you're keeping lately?",
        "How can we tell each other we need space without it sounding like rejection?",
    ],
    "growth": [
        "What are you learning right now that excites you?",
        "Which skill would you like to have a year from today?",
        "What did you do recently that your younger self would be proud of?",
        "Who outside our relationship inspires you at the moment, and why?",
        "What's a goal of yours I could cheer on more loudly?",
        "When did you last feel really absorbed in something?",
        "What's one thing you'd try if you knew you couldn't fail?",
        "Which part of your work or study feels most like you?",
        "What habit are you trying to build, and how's it going?",
        "What's a book, talk or idea that changed your mind lately?",
        "What would a perfect solo Saturday of learning look like?",
        "How have you changed since we met, in a way you like?",
        "What's a fear you'd like to grow past this year?",
        "What's something you're better at than you give yourself credit for?",
        "Where would you like to be in your own path in five years?",
        "What's a small step toward a big goal you could take this week?",
        "Which friend helps you grow, and how?",
        "What's a hobby you dropped that you'd like to pick up again?",
        "What feedback have you received lately that was useful?",
    ],
    "vulnerability": [
        "What's something that worried you today, even a little?",
        "When did you last feel truly understood by me?",
        "What's a feeling you find hard to put into words?",
        "Is there something you've wanted to tell me but haven't found the moment?",
        "What kind of comfort works best for you when you're low?",
        "What's a memory that still stings a bit?",
        "When do you feel most unsure of yourself?",
        "What is one thing you wish I knew about your childhood?",
        "What do you find hard to ask for?",
        "When did you last cry, and what was it about?",
        "What's a small thing I do that makes you feel safe?",
        "Which of your worries feels lighter when you say it out loud?",
        "What's something you're proud of but rarely mention?",
        "When have you felt lonely even when we were together?",
        "What would you like me to do when you go quiet?",
        "What's a mistake you made that taught you something?",
        "What helps you trust that you can bring me bad news?",
        "What's one hope you hold that feels fragile?",
        "What do you need more of from me when you're stressed?",
    ],
    "trust": [
        "What's a small promise I kept that meant a lot to you?",
        "When did you feel you could really count on me?",
        "What helps you feel secure when we're apart?",
        "Is there anything I said I'd do that is still waiting?",
        "What does being reliable look like to you in everyday life?",
        "What's something you trust me with that you don't trust many people with?",
        "How do you like me to repair things after I've let you down?",
        "What's a moment you felt we were really a team?",
        "What makes an apology feel real to you?",
        "When did I surprise you by showing up?",
        "What's one thing we could both be more consistent about?",
        "How do you know when I'm being fully honest?",
        "What would help you trust my decisions when you're not there?",
        "What do you do that helps me trust you? Do you know?",
        "What's an old hurt that has healed between us?",
        "Which of our routines makes you feel steady?",
        "What's a time you gave me the benefit of the doubt?",
        "How can we keep our word to each other on busy weeks?",
        "What's one small thing I could do this week to make you feel cared for?",
    ],
    "shared_goals": [
        "What's something we could build together this year?",
        "Where would you like us to travel next, and why there?",
        "What's a tradition you'd like us to start?",
        "How would you describe our life in three years, on a good day?",
        "What's one thing about our home you'd like to change together?",
        "What would a good money conversation look like for us?",
        "What's a cause or community we could give time to together?",
        "Which of our shared plans excites you most right now?",
        "What's a skill we could learn side by side?",
        "What do you want our weekends to feel like?",
        "What's a challenge we handled well as a pair?",
        "What's a dream of ours we haven't talked about in a while?",
        "How do you want us to celebrate our next milestone?",
        "What's one decision we should make together this month?",
        "What would you like our friends to say about us as a couple?",
        "Which shared goal feels stuck, and what would unstick it?",
        "What do we do well as a team that we could do more of?",
        "What's a memory we made together that you'd like to repeat?",
        "What's one way we could make mornings easier for both of us?",
    ],
    "communication": [
        "How do you know I'm really listening?",
        "What's a word or phrase of mine that lands badly, even if I don't mean it that way?",
        "When is the best time of day for us to talk about serious things?",
        "What's something I said recently that you keep thinking about?",
        "How would you like me to bring up something that bothers me?",
        "What helps you calm down during a disagreement?",
        "What's one thing we argue about that we could settle differently?",
        "Do you prefer advice or a listening ear when you share a problem?",
        "What question do you wish I asked you more often?",
        "When did a conversation between us go better than you expected?",
        "How can we pause a heated talk so that we come back to it?",
        "What's something you appreciate that you haven't said lately?",
        "How do you feel about texting versus talking for important things?",
        "What's a sign that you need me to slow down and ask more?",
        "What does 'I'm fine' sometimes mean for you?",
        "What's the kindest way to disagree with you?",
        "What's something you'd like us to talk about more?",
        "Which conversation from this week would you like a second go at?",
        "How did your day really go, in one honest sentence?",
    ],
    "me_we": [
        "How much time alone do you need in a normal week?",
        "What's your favourite way to spend an hour just for yourself?",
        "Which of our together-times feels most like 'us'?",
        "Did this week have the right mix of time apart and together for you?",
        "What's something you love doing that I don't need to join?",
        "What's an activity we both enjoy but rarely make time for?",
        "How can we protect our time together on busy weeks?",
        "What does a good balance between friends, family and us look like to you?",
        "When does time apart make you miss me in a good way?",
        "What would an ideal evening together look like this week?",
        "Is there a solo plan you'd like to make without feeling guilty?",
        "How do you recharge after a long social day?",
        "What's a routine of yours I could support by giving you space?",
        "Which of your friendships would you like to invest more time in?",
        "What's a small ritual that could mark our time together?",
        "How do you feel when I spend time with my own friends?",
        "What's something new we could try together for an hour?",
        "How do you want to divide our next free day?",
        "When did you last feel fully present with me?",
    ],
    "fun": [
        "What made you laugh today?",
        "If we had a free day tomorrow with no obligations, what would we do?",
        "What's a silly thing you'd secretly love to try?",
        "Which song would be the soundtrack of this week?",
        "What's the best meal we've shared, and what made it great?",
        "If you could teleport anywhere for an afternoon, where would you go?",
        "What's a game we should play more often?",
        "What's your favourite inside joke of ours?",
        "What's a small adventure we could have within an hour of home?",
        "What would be on the menu of your dream picnic?",
        "Which film would you happily watch again with me?",
        "What's something playful you did as a child that you miss?",
        "If our relationship were a dish, what would it be?",
        "What's the most fun date we've had, and why?",
        "What's a hobby you'd like to try together just for the fun of it?",
        "What would your ideal lazy Sunday include?",
        "What's a surprise you'd enjoy receiving?",
        "Which festival, show or event would you love us to go to?",
        "What's the funniest thing that happened to you this month?",
    ],
}


@dataclass(frozen=True)
class Question:
    key: str
    theme: str
    text: str

    @property
    def theme_label(self) -> str:
        return THEMES[self.theme]


QUESTIONS: tuple[Question, ...] = tuple(
    Question(key=f"{theme}-{i}", theme=theme, text=text)
    for theme, texts in _BANK.items()
    for i, text in enumerate(texts, start=1)
)
QUESTIONS_BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}


def question_for(couple_id: int, day_ordinal: int, recent: set[str] | None = None) -> Question:
    """A stable choice for one couple and day, avoiding the couple's recent questions."""
    digest = hashlib.sha256(f"{couple_id}:{day_ordinal}".encode()).digest()
    start = int.from_bytes(digest[:4], "big") % len(QUESTIONS)
    for step in range(len(QUESTIONS)):
        candidate = QUESTIONS[(start + step * 37) % len(QUESTIONS)]
        if not recent or candidate.key not in recent:
            return candidate
    return QUESTIONS[start]
