"""Our own plain words for the map: what each region and couple pattern means, and short guides to
the practices that strengthen each dimension. A mirror, not a diagnosis: no clinical labels."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REGION_NAMES: dict[str, Promise] = {
    "interdependent": _("Close and whole"),
    "dependent": _("Leaning in"),
    "distant": _("Leaning apart"),
    "disengaged": _("Running low on both"),
    "between": _("Between regions"),
}

REGION_TEXT: dict[str, Promise] = {
    "interdependent": _(
        "You feel connected to your partner and you also stand on your own feet. You can lean on "
        "each other without either of you disappearing into the other."
    ),
    "dependent": _(
        "Connection is strong, and your own footing is quieter right now: your mood, plans or "
        "sense of worth may be following your partner's more than you would like. Growing your own "
        "space and saying your limits can make the closeness feel lighter."
    ),
    "distant": _(
        "You stand firmly on your own, and the closeness part is quieter right now: you may be "
        "handling a lot alone, or keeping your partner at a little distance. Small, safe moments "
        "of letting them in can help."
    ),
    "disengaged": _(
        "Both connection and your own footing feel thin at the moment. That happens in busy or "
        "heavy seasons. Start small: one thing just for you, and one small moment together."
    ),
}

BETWEEN_TEXT = _(
    "Your answers sit close to a line between regions, and the margin of uncertainty crosses it. "
    "Read both descriptions below; the one that fits better is probably yours for now."
)


def region_texts(region: str, between: bool, plausible: list[str]) -> list[tuple[str, str]]:
    """(name, description) of every region the person may be in: one, or each side of the line."""
    regions = [r for r in plausible if r in REGION_TEXT] if between else []
    if not regions:
        regions = [region] if region in REGION_TEXT else []
    return [(str(REGION_NAMES[r]), str(REGION_TEXT[r])) for r in regions]


PATTERN_NAMES: dict[str, Promise] = {
    "both_interdependent": _("Two whole people, close together"),
    "pursue_withdraw": _("One reaches in, one steps back"),
    "both_enmeshed": _("Both leaning in"),
    "both_distant": _("Both leaning apart"),
    "both_disengaged": _("Both running low"),
    "mixed": _("Different places on the map"),
}

PATTERN_TEXT: dict[str, Promise] = {
    "both_interdependent": _(
        "You are both connected and both standing on your own. Keep doing what works, and keep "
        "checking in as life changes."
    ),
    "pursue_withdraw": _(
        "One of you leans toward more closeness while the other leans toward more room. Each "
        "move can set off the other: reaching makes stepping back feel safer, and stepping back "
        "makes reaching feel urgent. Naming the pattern together, without blame, is often the "
        "first step out of it."
    ),
    "both_enmeshed": _(
        "You are very close, and both of you have less room of your own. Time apart, your own "
        "friends and clear limits can make your closeness a choice rather than a need."
    ),
    "both_distant": _(
        "You both keep a lot to yourselves. Your independence is real; adding small shared "
        "moments and asking each other for help can bring back the sense of a team."
    ),
    "both_disengaged": _(
        "You are both running low on closeness and on your own footing. Go gently: one small "
        "thing each for yourselves and one small thing together is plenty to begin with."
    ),
    "mixed": _(
        "You are in different places on the map. That is common. Look at where each of you "
        "could grow, and see what you can support in each other."
    ),
}

TREND_TEXT: dict[str, Promise] = {
    "together": _("Since your previous shared results, you have grown closer."),
    "apart": _("Since your previous shared results, you have drifted a little further apart."),
    "steady": _("Since your previous shared results, your closeness has stayed about the same."),
}


@dataclass(frozen=True)
class Guide:
    slug: str
    title: Promise
    summary: Promise
    body: tuple[Promise, ...]
    feature_urls: tuple[str, ...] = ()  # URL names of the practice feature, when it exists

    def feature_url(self) -> str | None:
        for name in self.feature_urls:
            try:
                return reverse(name)
            except NoReverseMatch:
                continue
        return None


GUIDES: dict[str, Guide] = {
    g.slug: g
    for g in [
        Guide(
            "boundaries",
            _("Boundaries"),
            _("Know your limits and say them kindly and clearly."),
            (
                _(
                    "A boundary is a sentence about you, not a rule for your partner: “I need an "
                    "hour to myself after work before we talk about plans.”"
                ),
                _(
                    "Say it when you are calm, say why it matters to you, and let your partner ask "
                    "questions. Revisit it together after a few weeks."
                ),
                _(
                    "If your mood or sense of worth follows your partner's closely, boundaries help "
                    "you feel where you end and they begin."
                ),
            ),
            ("boundaries:list", "boundaries:home"),
        ),
        Guide(
            "own-goals",
            _("My own goals"),
            _("Something that is yours, that your partner can cheer on but never run."),
            (
                _(
                    "Pick one goal that belongs to you alone — a skill, a project, a friendship "
                    "to tend. Write down the next small step."
                ),
                _(
                    "Tell your partner about it if you like. Their part is encouragement, never "
                    "management."
                ),
            ),
            ("goals:list", "goals:home", "goals:mine"),
        ),
        Guide(
            "support-requests",
            _("Asking for support"),
            _("Say what you need, and notice how it feels to receive it."),
            (
                _(
                    "Asking is a skill. Start with something small and specific: “Could you listen "
                    "for ten minutes? I don't need advice.”"
                ),
                _(
                    "If letting your partner in feels uncomfortable, that is worth noticing, not "
                    "fixing all at once. Each small, good answer makes the next ask easier."
                ),
            ),
            ("support:list", "support:home", "support_requests:list"),
        ),
        Guide(
            "decisions",
            _("Deciding together"),
            _("Each says what they think — and how much it matters — before hearing the other."),
            (
                _(
                    "Before a shared decision, each of you writes your view and how much it matters "
                    "to you. Then read both, and decide with both in front of you."
                ),
                _(
                    "This keeps the quieter voice in the room and lets each of you influence the "
                    "other for real."
                ),
            ),
            ("decisions:list", "decisions:home"),
        ),
        Guide(
            "repair",
            _("Repair after a rough moment"),
            _("Each says feeling and need, each reflects back what they heard."),
            (
                _(
                    "When things go wrong, take turns: one says what they felt and what they need; "
                    "the other says it back until the first says “yes, that's it”."
                ),
                _(
                    "Sharing a tender feeling gets easier when you know it will be heard rather "
                    "than argued with. Agree one small next step."
                ),
            ),
            ("repair:list", "repair:home"),
        ),
        Guide(
            "me-we-time",
            _("Me time and we time"),
            _("Plan both, and notice the balance."),
            (
                _(
                    "Look at your week: which hours are yours, which are ours? Plan one of each on "
                    "purpose."
                ),
                _(
                    "Neither is a reward for the other. Time apart gives you something to bring "
                    "back; time together reminds you why you chose each other."
                ),
            ),
            ("timebalance:balance", "timebalance:week", "checkins:today"),
        ),
        Guide(
            "commitments",
            _("Small promises kept"),
            _("Trust grows from ordinary promises that are kept — and honestly missed."),
            (
                _(
                    "Make promises small enough to keep: “I'll book the table by Friday.” Mark "
                    "them kept or missed, without drama."
                ),
                _("A missed promise, owned plainly, builds trust too."),
            ),
            ("commitments:list", "commitments:home"),
        ),
        Guide(
            "our-goals",
            _("Our goals and plans"),
            _("Something the two of you are building, and time set aside for it."),
            (
                _(
                    "Choose one shared plan — a trip, a project, a ritual — and put the next step "
                    "on the calendar."
                ),
                _("Keep a list of good memories as well; it is part of what you share."),
            ),
            ("plans:list", "goals:list", "moments:list"),
        ),
        Guide(
            "own-footing",
            _("Finding your own footing"),
            _("Your own ways back to calm, so comfort from your partner is a gift, not a need."),
            (
                _(
                    "Notice what steadies you when you are on your own: a walk, music, writing it "
                    "down, a friend. Keep a short list."
                ),
                _(
                    "A private journal entry or a daily check-in can help you name a feeling "
                    "before deciding whether to share it."
                ),
            ),
            ("checkins:today", "journal:new"),
        ),
    ]
}


def region_label(region: str, between: bool, plausible: list[str]) -> str:
    """The region's name, or "Between regions: A / B" when the uncertainty crosses a line."""
    if not between:
        return str(REGION_NAMES.get(region, region))
    names = " / ".join(str(REGION_NAMES.get(r, r)) for r in plausible)
    return f"{REGION_NAMES['between']}: {names}"
