"""Official figures: which value of a published figure that disagrees with its recomputation is official.

Each figure (code, org unit, period, actual or plan) whose published value differs from shihyo's
recomputation is a *case*. The office decides it — keep the published figure, or adopt the recomputation
(a correction) — always with a reason; until then the programme's policy (`reconciliation.show`) decides.
Every surface asks `official_figure` (or `Resolutions.figure`) for a figure, so that none can disagree:
it gives the official value, the other value, the rule that decided and the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol

from shihyo.core.clock import TOKYO
from shihyo.core.engine import EvaluationResult
from shihyo.core.model import ShowPolicy
from shihyo.core.periods import Period
from shihyo.core.reconcile import Basis, Reconciliation, Verdict, show_like

Key = tuple[str, str, str, Basis]  # code, org unit, period key, basis
DEFAULT_POLICY = ShowPolicy.PUBLISHED
REASON_MAX = 500  # characters of a decision's reason


class Rule(StrEnum):
    """What made a value official."""

    POLICY = "policy"  # no decision yet: the programme's default policy
    DECISION = "decision"  # the office decided


@dataclass(frozen=True)
class Decision:
    """One recorded decision on a case (a revision: a later decision on the same case replaces it)."""

    code: str
    org_unit: str
    period: Period
    basis: Basis
    keep: ShowPolicy  # published: the published figure stays official; recomputed: a correction
    reason: str
    decided_by: str
    decided_at: datetime
    published_text: str = ""  # the two values as they stood when the decision was taken
    recomputed_text: str = ""

    @property
    def key(self) -> Key:
        return (self.code, self.org_unit, self.period.key, self.basis)


@dataclass(frozen=True)
class OfficialFigure:
    """The official value of one disputed figure, the other value, and why."""

    code: str
    org_unit: str
    period: Period
    basis: Basis
    official_is: ShowPolicy
    official: Decimal
    other: Decimal
    published_text: str  # as printed: "16.2"
    recomputed_text: str  # at the published precision: "16.1"
    working: str
    rule: Rule
    reason: str = ""
    decided_by: str = ""
    decided_at: datetime | None = None

    @property
    def published_is_official(self) -> bool:
        return self.official_is is ShowPolicy.PUBLISHED

    def beside(self, lang: str = "ja") -> str:
        """Both values, the official one first: 「公表値16.2 / 再計算16.1」."""
        published = f"公表値{self.published_text}" if lang == "ja" else f"published {self.published_text}"
        recomputed = f"再計算{self.recomputed_text}" if lang == "ja" else f"recomputed {self.recomputed_text}"
        return f"{published} / {recomputed}" if self.published_is_official else f"{recomputed} / {published}"

    def note(self, lang: str = "ja") -> str:
        """The footnote of the mark: which value is official and why."""
        ja = lang == "ja"
        when = f"{self.decided_at.astimezone(TOKYO):%Y-%m-%d}" if self.decided_at else ""
        working = f"（{self.working}）" if ja and self.working else f" ({self.working})" if self.working else ""
        if self.rule is Rule.POLICY:
            if ja:
                chosen = "公表値" if self.published_is_official else "再計算値"
                return (
                    f"※公表値{self.published_text}と再計算値{self.recomputed_text}{working}が異なります。"
                    f"推進チームの判断がまだないため、このプログラムの方針により{chosen}を表示しています。"
                )
            chosen = "the published figure" if self.published_is_official else "the recomputed figure"
            return (
                f"※Published {self.published_text} and recomputed {self.recomputed_text}{working} differ. "
                f"The office has not decided yet: the programme's policy shows {chosen}."
            )
        if self.published_is_official:
            if ja:
                return (
                    f"※公表値{self.published_text}を正式な値としています（再計算値{self.recomputed_text}{working}）。"
                    f"{self.decided_by}、{when}決定。理由: {self.reason}"
                )
            return (
                f"※The published {self.published_text} is kept as official (recomputed "
                f"{self.recomputed_text}{working}); decided by {self.decided_by} on {when}: {self.reason}"
            )
        if ja:
            return (
                f"※公表値{self.published_text}を再計算値{self.recomputed_text}{working}に訂正しました。"
                f"{self.decided_by}、{when}決定。理由: {self.reason}"
            )
        return (
            f"※The published {self.published_text} is corrected to the recomputed {self.recomputed_text}"
            f"{working}; decided by {self.decided_by} on {when}: {self.reason}"
        )

    def short_note(self, lang: str = "ja") -> str:
        """The note in a few words, for a table's notes (no ※):
        「公表値16.2・再計算値16.1（…）。判断前のため方針により公表値を表示」."""
        ja = lang == "ja"
        working = (f"（{self.working}）" if ja else f" ({self.working})") if self.working else ""
        when = f"{self.decided_at.astimezone(TOKYO):%Y-%m-%d}" if self.decided_at else ""
        if self.rule is Rule.POLICY:
            if ja:
                chosen = "公表値" if self.published_is_official else "再計算値"
                return (
                    f"公表値{self.published_text}・再計算値{self.recomputed_text}{working}。"
                    f"判断前のため方針により{chosen}を表示"
                )
            chosen = "published" if self.published_is_official else "recomputed"
            return (
                f"published {self.published_text}, recomputed {self.recomputed_text}{working}; "
                f"not yet decided: the policy shows the {chosen} figure"
            )
        if self.published_is_official:
            if ja:
                return (
                    f"公表値{self.published_text}を正式な値とする（再計算値{self.recomputed_text}）。"
                    f"{self.decided_by}、{when}決定: {self.reason}"
                )
            return (
                f"the published {self.published_text} is official (recomputed {self.recomputed_text}); "
                f"{self.decided_by}, {when}: {self.reason}"
            )
        if ja:
            return (
                f"公表値{self.published_text}を再計算値{self.recomputed_text}に訂正。"
                f"{self.decided_by}、{when}決定: {self.reason}"
            )
        return (
            f"the published {self.published_text} is corrected to the recomputed {self.recomputed_text}; "
            f"{self.decided_by}, {when}: {self.reason}"
        )


@dataclass(frozen=True)
class Case:
    """A figure with published values: its reconciliations, the decisions on it and what is official."""

    key: Key
    reconciliations: tuple[Reconciliation, ...]  # every print of the figure (several sources)
    history: tuple[Decision, ...]  # oldest first, up to the moment evaluated
    policy: ShowPolicy

    @property
    def verdict(self) -> Verdict:
        """Differs when any print differs; agrees when every computable print agrees."""
        verdicts = {r.verdict for r in self.reconciliations}
        for verdict in (Verdict.DIFFERS, Verdict.AGREES):
            if verdict in verdicts:
                return verdict
        return Verdict.NOT_COMPUTABLE

    @property
    def published(self) -> Reconciliation:
        """The print the case is about: of the differing ones the most precise (then the first source)."""
        differing = [r for r in self.reconciliations if r.verdict is Verdict.DIFFERS] or list(self.reconciliations)
        return min(differing, key=lambda r: r.precision)

    @property
    def decision(self) -> Decision | None:
        return self.history[-1] if self.history else None

    @property
    def official_is(self) -> ShowPolicy:
        return self.decision.keep if self.decision else self.policy

    def figure(self) -> OfficialFigure | None:
        """The official figure, for a case that differs (None otherwise: there is nothing to resolve)."""
        r = self.published
        if self.verdict is not Verdict.DIFFERS or r.computed is None or r.computed_rounded is None:
            return None
        published_official = self.official_is is ShowPolicy.PUBLISHED
        decision = self.decision
        return OfficialFigure(
            code=r.code,
            org_unit=r.org_unit,
            period=r.period,
            basis=r.basis,
            official_is=self.official_is,
            official=r.reported if published_official else r.computed,
            other=r.computed if published_official else r.reported,
            published_text=r.reported_text,
            recomputed_text=show_like(r.reported_text, r.computed_rounded),
            working=r.working,
            rule=Rule.DECISION if decision else Rule.POLICY,
            reason=decision.reason if decision else "",
            decided_by=decision.decided_by if decision else "",
            decided_at=decision.decided_at if decision else None,
        )


@dataclass(frozen=True)
class Resolutions:
    """Every case of a programme as of one moment, and the policy that decides the undecided ones."""

    policy: ShowPolicy = DEFAULT_POLICY
    cases: tuple[Case, ...] = ()
    figures: Mapping[Key, OfficialFigure] = field(default_factory=dict, compare=False, repr=False)

    def case(self, key: Key) -> Case | None:
        return next((c for c in self.cases if c.key == key), None)

    def figure(
        self, code: str, org_unit: str, period: Period | str, basis: Basis = Basis.ACTUAL
    ) -> OfficialFigure | None:
        key = period.key if isinstance(period, Period) else period
        return self.figures.get((code, org_unit, key, basis))

    def differing(self) -> tuple[Case, ...]:
        return tuple(c for c in self.cases if c.verdict is Verdict.DIFFERS)


def resolve(
    reconciliations: tuple[Reconciliation, ...],
    decisions: tuple[Decision, ...] = (),
    policy: ShowPolicy | None = None,
) -> Resolutions:
    """Group the reconciliations into cases and attach the decisions (oldest first) to their cases."""
    grouped: dict[Key, list[Reconciliation]] = {}
    for r in reconciliations:
        grouped.setdefault(r.key, []).append(r)
    history: dict[Key, list[Decision]] = {}
    for d in sorted(decisions, key=lambda d: d.decided_at):
        history.setdefault(d.key, []).append(d)
    chosen = policy or DEFAULT_POLICY
    cases = tuple(Case(key, tuple(rows), tuple(history.get(key, ())), chosen) for key, rows in grouped.items())
    figures = {c.key: f for c in cases if (f := c.figure()) is not None}
    return Resolutions(chosen, cases, MappingProxyType(figures))


class HasResolutions(Protocol):
    """What `official_figure` reads: an evaluated programme (the web's `ProgrammeState`)."""

    @property
    def result(self) -> EvaluationResult: ...

    @property
    def resolutions(self) -> Resolutions: ...


def official_figure(state: HasResolutions, code: str, org_unit: str, period: Period | str) -> OfficialFigure | None:
    """The official figure of (code, org unit, period) where its published and recomputed values differ.

    The figure shown is the engine's value of that cell; a plan cell is matched with published plans, an
    actual with published actuals. None where there is no disagreement (show the engine's value)."""
    kind = state.result.kind(code, org_unit, period)
    if kind is None:
        return None
    return state.resolutions.figure(code, org_unit, period, Basis.PLAN if kind == "plan" else Basis.ACTUAL)


def shown_value(state: HasResolutions, code: str, org_unit: str, period: Period | str, value: Decimal) -> Decimal:
    """The value a surface shows for one cell: the official one where there is a case, else the engine's."""
    figure = official_figure(state, code, org_unit, period)
    return value if figure is None else figure.official
