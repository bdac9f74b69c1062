"""What an exploration finds: boxes of conditions (PRIM, CART), what matters most (Sobol or, on a
Latin hypercube, the delta method's first-order indices), and robust policies (regret, satisficing).

PRIM and CART come from ema_workbench, the indices from SALib; this module only shapes their
answers into tables with one row per box limit or per uncertainty.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings

import numpy as np
import pandas as pd

from ...errors import IndsimError
from ..figures import _OPS, Target
from .design import problem
from .run import Exploration, numeric_inputs

BOX_COLUMNS = ["method", "box", "coverage", "density", "mass", "dimension", "lower", "upper", "categories",
               "restricts"]
SOBOL_COLUMNS = ["uncertainty", "S1", "S1_conf", "ST", "ST_conf"]
ROBUST_COLUMNS = ["policy", "satisficing", "mean", "regret_mean", "regret_max", "best_in"]

warnings.filterwarnings("ignore", message="ipyparallel not installed")  # we run experiments ourselves
for _name in ("EMA", "ema_workbench"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def condition_met(ex: Exploration, cond: Target) -> pd.Series:
    """Per experiment: whether the condition (target syntax) holds."""
    cols = [f"{cond.figure}.{cond.category}.{y}" for y in _years(ex, cond)]
    missing = [c for c in cols if c not in ex.table.columns]
    if missing or not cols:
        raise IndsimError(f"{cond}: no such outcome in the exploration (is {cond.year} inside the horizon?)")
    ok = np.ones(len(ex.table), bool)
    for c in cols:
        ok &= _OPS[cond.op](ex.table[c].to_numpy(float), cond.value)
    return pd.Series(ok, index=ex.table.index)


def _years(ex: Exploration, cond: Target) -> list[int]:
    if not cond.every_year_from:
        return [cond.year]
    return list(range(cond.year, ex.scenario.end.year + 1))


def outcome(ex: Exploration, cond: Target) -> pd.Series:
    """The figure a condition looks at (its year, or the last year for 'from')."""
    year = cond.year if not cond.every_year_from else ex.scenario.end.year
    col = f"{cond.figure}.{cond.category}.{year}"
    if col not in ex.table.columns:
        raise IndsimError(f"{cond}: no such outcome in the exploration")
    return ex.table[col].astype(float)


# ---------------------------------------------------------------------- scenario discovery
def prim_boxes(x: pd.DataFrame, y: np.ndarray, threshold: float = 0.6, boxes: int = 3,
               mass_min: float = 0.05, futures: np.ndarray | None = None) -> pd.DataFrame:
    """Boxes of conditions under which ``y`` (booleans) holds, by PRIM (ema_workbench): for each
    box the point of its peeling trajectory with the best density at coverage >= 0.5 (else the
    last), with coverage, density, mass and its limits on the restricted dimensions.
    ``futures``: which future each row is (rows of one future under several policies are not
    independent observations; see :func:`quasi_p`); default: every row its own."""
    from ema_workbench.analysis import prim

    y = np.asarray(y, bool)
    rows: list[dict] = []
    if y.sum() == 0 or y.all():
        return pd.DataFrame(columns=BOX_COLUMNS)
    x = x.reset_index(drop=True)
    futures = np.arange(len(y)) if futures is None else np.asarray(futures)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = prim.Prim(x, y.astype(int), threshold=threshold, mass_min=mass_min,
                      peel_alpha=0.05, paste_alpha=0.05)
        for k in range(boxes):
            box = p.find_box()
            if box is None:
                break
            traj = box.peeling_trajectory
            ok = traj[(traj.coverage >= 0.5) & (traj.res_dim > 0)]
            i = int(ok.density.idxmax()) if len(ok) else len(traj) - 1
            if traj.res_dim[i] == 0:  # a dump box: PRIM found nothing more
                break
            box.select(i)
            if not _significant(box, x, y, futures):
                continue
            traj, i = box.peeling_trajectory, box._cur_box
            rows += _box_rows("PRIM", k + 1, box.box_lim, x, dict(coverage=float(traj.coverage[i]),
                                                                   density=float(traj.density[i]),
                                                                   mass=float(traj.mass[i])))
    return pd.DataFrame(rows, columns=BOX_COLUMNS)


QP_ALPHA = 0.05


def _significant(box, x: pd.DataFrame, y: np.ndarray, futures: np.ndarray) -> bool:
    """Drop the box's restrictions that the data do not support, weakest first, until every one
    left has a quasi-p value of at most :data:`QP_ALPHA` (:func:`quasi_p`). With a few hundred
    experiments over some forty uncertainties PRIM also restricts dimensions by chance (the
    maximum penalty "causing" a backlog); a sentence must not present those as conditions.
    False if no supported restriction is left."""
    left = box.prim.yi_remaining  # the rows earlier boxes left, as PRIM tests them
    x, y, futures = x.iloc[left], y[left], futures[left]
    while True:
        qp = quasi_p(x, y, futures, box.box_lims[box._cur_box], box.box_lims[0])
        if not qp:
            return False
        worst = max(qp, key=lambda d: (qp[d], d))
        if qp[worst] <= QP_ALPHA:
            return True
        if len(qp) == 1:
            return False
        box.drop_restriction(worst)


def quasi_p(x: pd.DataFrame, y: np.ndarray, futures: np.ndarray, lim: pd.DataFrame,
            initial: pd.DataFrame) -> dict[str, float]:
    """For each restriction of the box ``lim``, how likely a box as dense would be by chance if
    the restriction were lifted: the one-sided binomial test of Bryant & Lempert (2010), as
    ema_workbench computes it, but counting futures, not experiments. An exploration runs every
    future under each policy, and those copies share every uncertainty's value: counted as
    experiments, four policies would give a restriction on an uncertainty four times the support
    its futures give. Here each future in the box counts once, with the share of its experiments
    in the box where ``y`` holds (the test's count of successes is then fractional: the
    regularised incomplete beta function is the binomial tail for any count). With one
    experiment per future this is ema_workbench's test. Per dimension the larger of its two
    sides' values (a side that is not restricted has none)."""
    from scipy.special import betainc

    inside = _in_box(x, lim)
    hits, n = _per_future(y[inside], futures[inside])
    out: dict[str, float] = {}
    for dim in lim.columns:
        lo, hi = lim[dim].iloc[0], lim[dim].iloc[1]
        lo0, hi0 = initial[dim].iloc[0], initial[dim].iloc[1]
        if isinstance(lo, set):
            sides = [(lo0, hi0)] if lo != lo0 else []
        else:
            sides = [(v, hi) for v in [lo0] if lo != lo0] + [(lo, v) for v in [hi0] if hi != hi0]
        values = []
        for side in sides:
            wider = lim.copy()
            wider[dim] = list(side)
            around = _in_box(x, wider)
            h, t = _per_future(y[around], futures[around])
            p = h / t if t else 0.0
            if hits <= 0:  # no success in the box: nothing to explain
                values.append(1.0)
            else:  # P(X >= hits), X ~ Binomial(n, p); 0 when p is 0
                values.append(float(betainc(hits, n - hits + 1, p)) if p > 0 else 0.0)
        if values:
            out[dim] = max(values)
    return out


def _per_future(y: np.ndarray, futures: np.ndarray) -> tuple[float, int]:
    """Successes (each future: the share of its rows where ``y`` holds) and number of futures."""
    if not len(y):
        return 0.0, 0
    codes, index = np.unique(futures, return_inverse=True)
    share = np.bincount(index, weights=y.astype(float)) / np.bincount(index)
    return float(share.sum()), len(codes)


def _in_box(x: pd.DataFrame, lim: pd.DataFrame) -> np.ndarray:
    """Rows of ``x`` inside the box limits ``lim`` (numbers within [lower, upper], categories in
    the box's set)."""
    inside = np.ones(len(x), dtype=bool)
    for dim in lim.columns:
        lo, hi = lim[dim].iloc[0], lim[dim].iloc[1]
        col = x[dim]
        inside &= col.isin(lo).to_numpy() if isinstance(lo, set) else ((col >= lo) & (col <= hi)).to_numpy()
    return inside


def _box_rows(method: str, k: int, lim: pd.DataFrame, x: pd.DataFrame, stats: dict) -> list[dict]:
    rows = []
    for dim in lim.columns:
        lo, hi = lim[dim].iloc[0], lim[dim].iloc[1]
        if isinstance(lo, set):
            allc = set(x[dim].cat.categories)
            if lo == allc:
                continue
            rows.append({"method": method, "box": k, **stats, "dimension": dim, "lower": np.nan, "upper": np.nan,
                         "categories": ", ".join(sorted(map(str, lo))), "restricts": "in"})
            continue
        full_lo, full_hi = float(x[dim].min()), float(x[dim].max())
        lo_r, hi_r = float(lo) > full_lo + 1e-12, float(hi) < full_hi - 1e-12
        if not (lo_r or hi_r):
            continue
        rows.append({"method": method, "box": k, **stats, "dimension": dim, "lower": float(lo) if lo_r else np.nan,
                     "upper": float(hi) if hi_r else np.nan, "categories": "",
                     "restricts": "both" if lo_r and hi_r else ("lower" if lo_r else "upper")})
    return rows


def cart_boxes(x: pd.DataFrame, y: np.ndarray, mass_min: float = 0.05, top: int = 3) -> pd.DataFrame:
    """The second view: CART's leaves (ema_workbench) with the highest density of ``y``."""
    from ema_workbench.analysis import cart
    from sklearn import tree

    y = np.asarray(y, bool)
    if y.sum() == 0 or y.all():
        return pd.DataFrame(columns=BOX_COLUMNS)
    mass_min = max(mass_min, 1.0 / len(y) + 1e-9)  # at least one experiment per leaf
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = cart.CART(x.reset_index(drop=True), y.astype(int), mass_min=mass_min)
        # CART.build_tree() leaves the tree's random_state unset, and scikit-learn breaks ties between
        # equally good splits at random: the same exploration then gave different boxes. Fit it seeded.
        c.clf = tree.DecisionTreeClassifier(min_samples_leaf=int(c.mass_min * c.x.shape[0]), random_state=0)
        c.clf.fit(c._x, c.y)
        stats = c.stats
        order = sorted(range(len(stats)), key=lambda i: -stats[i]["density"])[:top]
        rows = []
        for k, i in enumerate(order, 1):
            if stats[i]["density"] <= y.mean():
                break
            rows += _box_rows("CART", k, c.boxes[i], x, {"coverage": float(stats[i]["coverage"]),
                                                         "density": float(stats[i]["density"]),
                                                         "mass": float(stats[i]["mass"])})
    return pd.DataFrame(rows, columns=BOX_COLUMNS)


def independent(ex: Exploration) -> pd.Series:
    """Rows whose futures are independent points of the design: all of a Latin hypercube, but of
    Saltelli's design only each block's two base points (A and B). The other points of a block
    copy A in every dimension but one, so over few blocks the columns are correlated by
    construction (0.76 between the maximum penalty and the inflow level in a design of nine
    blocks) and PRIM would name a copied dimension as a condition."""
    if ex.design.sampler != "sobol":
        return pd.Series(True, index=ex.table.index)
    size = len(set(ex.design.groups)) + 2
    return ex.table.future.mod(size).isin([0, size - 1])


def discover(ex: Exploration, cond: Target) -> pd.DataFrame:
    """The ``boxes`` table: PRIM boxes, then CART's, for the futures where ``cond`` holds
    (independent points only, see :func:`independent`)."""
    keep = independent(ex)
    x = numeric_inputs(ex)[keep]
    rows = {d.name for d in ex.space.dims if ex.space.uncertainties[d.item].kind in ("table", "posterior")}
    x = x[[c for c in x.columns if x[c].nunique() > 1 and c not in rows]]  # a row number is no condition
    y = condition_met(ex, cond)[keep].to_numpy()
    return pd.concat([prim_boxes(x, y, futures=ex.table.future[keep].to_numpy()), cart_boxes(x, y)],
                     ignore_index=True)


# ---------------------------------------------------------------------- global sensitivity
def sobol_indices(units: np.ndarray, y: np.ndarray, prob: dict, seed: int = 0) -> pd.DataFrame:
    """First-order and total Sobol indices with 95% intervals (SALib, Saltelli/Jansen estimators)."""
    from SALib.analyze import sobol

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sobol.analyze(prob, np.asarray(y, float), calc_second_order=False, conf_level=0.95,
                            seed=seed % 2**32, print_to_console=False)
    names = list(dict.fromkeys(prob.get("groups") or prob["names"]))
    out = pd.DataFrame({"uncertainty": names, "S1": res["S1"], "S1_conf": res["S1_conf"], "ST": res["ST"],
                        "ST_conf": res["ST_conf"]})
    return out.sort_values("ST", ascending=False, ignore_index=True)


def delta_indices(x: np.ndarray, y: np.ndarray, prob: dict, seed: int = 0) -> pd.DataFrame:
    """On a Latin hypercube: first-order Sobol indices estimated from the given sample (SALib's
    delta method), with 95% intervals; total indices need the Sobol design."""
    from SALib.analyze import delta

    prob = {k: v for k, v in prob.items() if k != "groups"}
    # SALib prints notes, turns warnings back on inside (simplefilter "once": with few experiments,
    # a line per uncertainty on the console) and replaces the warnings' formatter for the whole
    # process: all three stay inside this call
    formatter = warnings.formatwarning
    with (warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()),
          contextlib.redirect_stderr(io.StringIO())):
        warnings.simplefilter("ignore")
        try:
            res = delta.analyze(prob, np.asarray(x, float), np.asarray(y, float), num_resamples=50,
                                conf_level=0.95, seed=seed % 2**32, print_to_console=False)
        finally:
            warnings.formatwarning = formatter
    out = pd.DataFrame({"uncertainty": prob["names"], "S1": res["S1"], "S1_conf": res["S1_conf"],
                        "ST": np.nan, "ST_conf": np.nan})
    return out.sort_values("S1", ascending=False, ignore_index=True)


def sensitivity(ex: Exploration, cond: Target, policy: str | None = None) -> pd.DataFrame:
    """What matters most for the figure of ``cond``, over the futures of one policy (the first)."""
    policy = policy or ex.space.policies[0].name
    rows = ex.table[ex.table.policy == policy].sort_values("future")
    prob = problem(ex.space)
    if ex.design.sampler == "sobol":  # only whole blocks of Saltelli's design (an exploration may be partial)
        size = len(set(prob.get("groups") or prob["names"])) + 2
        block = rows.future // size
        whole = block.map(block.value_counts()) == size
        rows = rows[whole]
        if len(rows) < 2 * size:
            return pd.DataFrame(columns=SOBOL_COLUMNS)
    y = outcome(ex, cond)[rows.index].to_numpy(float)
    units = ex.design.units[rows.future.to_numpy()]
    if not np.isfinite(y).all():
        y = np.nan_to_num(y, nan=float(np.nanmean(y)) if np.isfinite(y).any() else 0.0)
    if ex.design.sampler == "sobol":
        return sobol_indices(units, y, prob, ex.seed)
    return delta_indices(units, y, prob, ex.seed)


def top_uncertainties(table: pd.DataFrame, ex: Exploration, n: int = 2) -> list[str]:
    """The ``n`` most influential input columns (a group stands for its first dimension)."""
    key = "ST" if table.ST.notna().any() else "S1"
    first = {}
    for d, g in zip(ex.space.dims, ex.space.groups(), strict=True):
        first.setdefault(g, d.name)
        first.setdefault(d.name, d.name)
    out = []
    for u in table.sort_values(key, ascending=False).uncertainty:
        col = first.get(u, u)
        if col in ex.table.columns and ex.table[col].nunique() > 1 and col not in out:
            out.append(col)
        if len(out) == n:
            break
    return out


# ---------------------------------------------------------------------- robustness
def robustness(ex: Exploration, goal: Target) -> pd.DataFrame:
    """Per policy over the same futures: the share meeting ``goal`` (satisficing), the mean of its
    figure, and the regret per future (distance to the best policy in that future on the figure,
    in the goal's direction), mean and maximum; ``best_in``: share of futures where it is best."""
    met = condition_met(ex, goal)
    y = outcome(ex, goal)
    sign = 1.0 if goal.op in ("<", "<=") else -1.0  # lower is better for an upper bound
    wide = pd.DataFrame({"future": ex.table.future, "policy": ex.table.policy, "y": sign * y, "met": met})
    complete = wide.groupby("future").policy.transform("size") == wide.policy.nunique()
    wide = wide[complete]  # futures every policy has met (an exploration may be partial)
    best = wide.groupby("future").y.transform("min")
    wide["regret"] = wide.y - best
    wide["best"] = wide.regret <= 1e-9
    g = wide.groupby("policy", sort=False)
    out = pd.DataFrame({"policy": list(g.groups), "satisficing": g.met.mean().to_numpy(),
                        "mean": (sign * g.y.mean()).to_numpy(), "regret_mean": g.regret.mean().to_numpy(),
                        "regret_max": g.regret.max().to_numpy(), "best_in": g.best.mean().to_numpy()})
    return out.sort_values(["satisficing", "regret_mean"], ascending=[False, True], ignore_index=True)


def needs_from_others(ex: Exploration, goal: Target, policy: str) -> pd.DataFrame:
    """For one policy: PRIM boxes over the uncertainties others control (courts, laws, the chain
    partner) in which the goal is met: the preconditions that policy needs from others."""
    others = [d.name for d in ex.space.dims if ex.space.uncertainties[d.item].owner == "others"]
    rows = ex.table[(ex.table.policy == policy) & independent(ex)]
    if not others or rows.empty:
        return pd.DataFrame(columns=BOX_COLUMNS)
    x = numeric_inputs(ex).loc[rows.index, others]
    x = x[[c for c in x.columns if x[c].nunique() > 1]]
    y = condition_met(ex, goal)[rows.index].to_numpy()
    return prim_boxes(x, y, threshold=0.5, boxes=1, mass_min=0.1)


def phase_pairs(ex: Exploration, goal: Target) -> pd.DataFrame:
    """Gradual or abrupt: every pair of policies that differ only in a phase-in lever, compared
    future by future (the same futures and random numbers): the share meeting the goal with each,
    the mean difference of the goal's figure (gradual minus abrupt) and the share of futures
    where gradual does better."""
    met = condition_met(ex, goal)
    y = outcome(ex, goal)
    better = -1.0 if goal.op in ("<", "<=") else 1.0
    rows = []
    phase = [n for n, it in ex.space.levers.items() if it.kind == "phase"]
    pols = {p.name: {k: ex.table.loc[ex.table.policy == p.name, k].iloc[0] for k in ex.levers}
            for p in ex.space.policies if (ex.table.policy == p.name).any()}
    for lever in phase:
        for a, la in pols.items():
            for b, lb in pols.items():
                same = all(la[k] == lb[k] for k in ex.levers if k != lever)
                if not (same and float(la[lever]) > 0 and float(lb[lever]) == 0):
                    continue
                ya = y[ex.table.policy == a].set_axis(ex.table.future[ex.table.policy == a])
                yb = y[ex.table.policy == b].set_axis(ex.table.future[ex.table.policy == b])
                diff = (ya - yb).dropna()
                rows.append({"lever": lever, "gradual": a, "abrupt": b,
                             "gradual_satisficing": float(met[ex.table.policy == a].mean()),
                             "abrupt_satisficing": float(met[ex.table.policy == b].mean()),
                             "difference": float(diff.mean()), "gradual_better": float((better * diff > 0).mean())})
    return pd.DataFrame(rows, columns=["lever", "gradual", "abrupt", "gradual_satisficing", "abrupt_satisficing",
                                       "difference", "gradual_better"])
