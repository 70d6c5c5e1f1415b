"""The task keys a case knows: the built-in tasks and the steps of its pathway template.

[`Case.complete()`][ettervern.Case.complete], [`Case.waive()`][ettervern.Case.waive] and
[`Case.reschedule()`][ettervern.Case.reschedule] refuse a key that is neither, so that a typo
(``"individual_pln"``) does not leave ``individual_plan`` overdue for ever.
"""

from __future__ import annotations

from ettervern._core import Team
from ettervern._pathway._templates import PATHWAY_TEMPLATES, PathwayTemplate, pathway_template

__all__ = ["BUILT_IN_TASKS", "STANDARD_MILESTONES", "known_tasks", "team_template"]

BUILT_IN_TASKS = (
    "closure_report",
    "cooperation_meeting",
    "crisis_plan",
    "evaluation_form",
    "first_contact",
    "handover_meeting",
    "individual_plan",
)
"""Tasks every case knows: the good practice before discharge (a cooperation meeting, the
individual plan, a crisis plan; seed ``003_…``), the first contact with the person (for waiting
times, seed ``000_…``), the handover meeting, and the closure's report and evaluation form
(seed ``000_…``)."""

STANDARD_MILESTONES = (
    "individual_plan",
    "follow_up_target",
    "handover_meeting",
    "closure_report",
    "evaluation_form",
    "three_month_check",
)
"""The keys of the milestones every accepted case has (see [`milestones()`][ettervern.milestones])."""


def team_template(
    team: Team | None, template: PathwayTemplate | str | None
) -> PathwayTemplate | None:
    """The template asked for, by value or by name; else the team's own, if it names one."""
    if isinstance(template, str):
        return pathway_template(template)
    if template is None and team is not None and team.pathway is not None:
        return pathway_template(team.pathway)
    return template


def known_tasks(
    team: Team | None = None, template: PathwayTemplate | str | None = None
) -> tuple[str, ...]:
    """The task keys a case knows, sorted: the built-in tasks and the steps of the template
    (``template``, else the team's); with neither, the steps of every shipped template."""
    chosen = team_template(team, template)
    chosen_ones = (
        [chosen] if chosen is not None else [pathway_template(k) for k in PATHWAY_TEMPLATES]
    )
    steps = {step.key for one in chosen_ones for step in one.steps}
    return tuple(sorted(steps | set(BUILT_IN_TASKS)))
