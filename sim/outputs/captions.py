"""What each figure shows and how to read it: the captions of the report.

One caption per figure name, the same words whatever the run, with the few numbers that
differ (replications, the representative replication) filled in. A figure's title says
what it shows; its caption says how to read it and what it does not show.
"""

from __future__ import annotations

from sim.study.headline import replications

RUN = {
    "fan": (
        "Operational GPUs over time, in total and for each recipient. The line is the median "
        "(P50) over the {reps} week by week, the band the P10–P90: in 8 of 10 "
        "replications the count lies inside it. A star marks a recipient's own target, "
        "where its allocation states one (seeds/allocations.yaml). The median line of one "
        "week and of the next need not come from the same replication."),
    "milestones": (
        "The completion date's S-curve: for each date, the share of the {reps} in "
        "which all pledged GPUs are operational by then. The vertical lines mark the P10, P50 "
        "and P90 dates (the headline), and the dashed line 2030-12-31 with the share done by "
        "then with its 95 % Wilson interval. Where some replications are not done by the "
        "horizon, the curve stops below 100 %."),
    "delay": (
        "Where the time goes: for each recipient and for all GPUs, the months the median "
        "GPU (left) and the last GPU (right: the end of the critical chain) spend in each "
        "stage, from the pledge (or an earlier order) to service, means over the {reps}; "
        "the stages add up to the number at the bar's end. 'Before its order' is the wait "
        "for a site: orders follow the sites' expected readiness, so a site late to be "
        "built or connected shows here, and as 'waiting for power' when it is later than "
        "planned. A GPU not in service by the horizon counts up to the horizon. delay.csv "
        "holds the P10, P50 and P90 of each stage too, and the mean GPU."),
    "drivers": (
        "What drives the date. Each bar holds one uncertain input at its median (or rules "
        "its risk event out) and re-runs its first replications ({k} each) with the same "
        "random numbers; the bar ends at the P50 that gives. The vertical line is the "
        "headline P50 with every risk in. The whisker is a 90 % bootstrap interval of the "
        "shift over the paired replications: a grey bar's interval spans zero, so its sign "
        "is sampling noise, not an effect. Replications go where the intervals are widest "
        "(mc.driver_budget per replication of the study, at most mc.driver_replications a "
        "risk). Inputs that moved none of their pairs, and any the budget did not reach, "
        "are listed below the bars."),
    "criticality": (
        "What finishes last: in how many of the {reps} each recipient (left) and "
        "each site (right) ran the very last GPU. 'not all by the horizon' counts the "
        "replications in which some GPUs never ran. The recipient or site that is most often "
        "last is where an earlier date must be won."),
    "operational": (
        "One replication, not a statistic: no. {rep}, the one whose all-operational date is "
        "nearest the median. Operational GPUs stacked by recipient, to show how one plausible "
        "future unfolds. A recipient with a target of its own is the bottom layer, so that "
        "the star (its target) is read against its own count, not the total; the ring is "
        "its count on that date in this replication. For the spread over all replications, "
        "and the target on the recipient's own panel, see the first figure."),
    "pipeline": (
        "One replication (no. {rep}): where all pledged GPUs are each week, by stage: not "
        "yet shipped, in transit, arrived and waiting for power, installing and burn-in, "
        "operational. A thick orange layer is GPUs that arrived before their site had power."),
    "power": (
        "One replication (no. {rep}): facility MW energized at each recipient's own sites "
        "(shaded) against MW drawn by its placed GPUs (line), which also counts GPUs placed "
        "in capacity open to all (colocation halls): where the line is above the shading, "
        "that capacity holds them. A gap below is powered room waiting for GPUs; GPUs "
        "waiting for room show in the stage figure."),
    "timeline": (
        "One replication (no. {rep}): the deals (grey and open: switched off in this run, "
        "deals.<id>.enabled=false), each site's announced readiness (grey: first to last "
        "phase) against the modelled one (coloured: first MW to full power, after "
        "construction slip and grid delay), the observed events the run takes as fact "
        "(seeds/observed.yaml, a shape per kind), and when all GPUs reach 25, 50, 90 and "
        "100 % operational. The green dash-dot line is the as-of date: what was public by "
        "then is known, after it the model forecasts. A dotted line ending in an arrow: not "
        "fully powered by the horizon."),
}

COMPARE = {
    "operational": (
        "Operational GPUs over time for each run, in total and per recipient: each run's "
        "line is its median (P50) over its replications, the band its P10–P90. One colour "
        "per run, the same in every figure; the dotted line is 2030-12-31."),
    "power": (
        "MW drawn (solid, with its P10–P90 band) and MW energized (dashed) for each run, "
        "both as P50 over the run's replications."),
    "milestones": (
        "When each run reaches 25, 50, 90 and 100 % of all GPUs operational, and each "
        "recipient its full allocation: the dot is the P50 date over the run's replications, "
        "the line its P10–P90. An open arrow at the horizon: the P50 is after it."),
}

SWEEP = {
    "outputs_vs": (
        "Each headline figure against the swept input: the dot is the P50 over that job's "
        "replications and the bar its P10–P90. One panel holds every odds the jobs have "
        "(all GPUs by 2030, and each recipient's own target, such as the government's 50k "
        "by 2030): the dot is the share of replications and the bar its 95 % Wilson "
        "interval, on an axis from 0 % to 100 %; an odds that does not move says so in the "
        "legend. A line per value of a second swept choice, if any. Bars that overlap mean "
        "the jobs differ by less than the spread of their replications."),
    "heatmap": (
        "Each headline figure over the two swept inputs: one cell per job, holding the P50 "
        "over its replications; for each odds, the share of replications and its 95 % "
        "Wilson interval, coloured on one scale from 0 % to 100 %."),
    "operational": COMPARE["operational"],
}


ONE_REPLICATION = {
    "fan": ("This run has one replication: the line is that replication and there is no "
            "band. Run more replications (mc.replications) for the median and its P10–P90."),
    "milestones": ("This run has one replication: the curve steps from 0 to 100 % at its "
                   "date, which is no P10, P50 or P90. Run more replications for them."),
    "criticality": "This run has one replication: each share is 0 or 100 %.",
}
"""What a caption says instead when the run has a single replication (no spread to show)."""


def run_caption(name: str, n: int, rep: int, k: int = 0) -> str:
    if n == 1 and name in ONE_REPLICATION:
        return ONE_REPLICATION[name]
    return RUN[name].format(reps=replications(n), rep=rep, k=k)
