"""The peers page (同类对比): a park's rank, percentile and quartiles among comparable parks."""
from __future__ import annotations

from .. import charts, i18n
from ..analysis import Analysis, memoized
from .common import default_year, memoized_figure, park_sources, park_table


@memoized
def peer_view(analysis: Analysis, park_id: str, indicator_id: str, year: int, group: str) -> dict:
    """The park's standing among its peers on an indicator's actual level, and its target's ambition among
    theirs: values (park_id, value_std), standing dicts (metrics in peers.standing), its own target."""
    from .. import peers
    obs = analysis.dataset.observations
    ids = set(peers.peer_ids(park_table(analysis), park_id, group))
    direction = analysis.dataset.indicators[indicator_id].direction
    values = peers.comparable_values(obs, indicator_id, year)
    values = values[values["park_id"].isin(ids)]
    targets = peers.comparable_values(obs, indicator_id, year, kind="target")
    own_target = targets.loc[targets["park_id"] == park_id, "value_std"]
    amb = peers.ambition(obs[obs["park_id"].isin(ids)], indicator_id, year)
    amb_values = amb.rename(columns={"ambition_pct": "value_std"})
    return {"values": values, "standing": peers.standing(values, park_id, direction), "peers": len(ids), "ids": ids,
            "target": None if own_target.empty else float(own_target.iloc[0]),
            "ambition": amb_values, "ambition_standing": peers.standing(amb_values, park_id, direction)}


PEER_RANKED_MIN = 2   # fewer parks with a figure than this: no rank, percentile or quartiles (rank 1/1 says nothing)


def peer_default_year(analysis: Analysis, park_id: str, indicator_id: str, group: str) -> int | None:
    """Peers compare actuals: the latest year in which a park of the group has an actual of the indicator; else
    the latest year the park itself states the indicator; else the comparison's default year."""
    from .. import peers
    obs = analysis.dataset.observations
    obs = obs[obs["indicator_id"] == indicator_id]
    ids = set(peers.peer_ids(park_table(analysis), park_id, group))
    actual = obs[(obs["kind"] == "actual") & obs["park_id"].isin(ids)]
    own = obs[obs["park_id"] == park_id]
    for rows in (actual, own):
        if not rows.empty:
            return int(rows["year"].max())
    return default_year(analysis, indicator_id)


def peer_reason(analysis: Analysis, park_id: str, indicator_id: str, year: int, group: str, measure: str,
                lang: str) -> str | None:
    """Why a peer section cannot rank (None when it can): the park alone in its group, no park with the figure
    (and how many have only a target), or a single park with it."""
    view = peer_view(analysis, park_id, indicator_id, year, group)
    values = view["values"] if measure == "level" else view["ambition"]
    parks, group_name = analysis.dataset.parks, i18n.t(f"peer_group_{group}", lang)
    if view["peers"] <= 1:
        return i18n.t("peer_alone", lang, park=i18n.short(parks[park_id], lang), group=group_name)
    if len(values) >= PEER_RANKED_MIN:
        return None
    indicator = i18n.name(analysis.dataset.indicators[indicator_id], lang)
    if len(values) == 1:
        return i18n.t(f"peer_one_{measure}", lang, who=i18n.short(parks[values["park_id"].iloc[0]], lang), year=year)
    if measure == "ambition":
        return i18n.t("peer_none_ambition", lang, year=year, prev=year - 1)
    obs = analysis.dataset.observations
    targets = obs[(obs["indicator_id"] == indicator_id) & (obs["year"] == year) & (obs["kind"] == "target")]
    with_target = targets.loc[targets["park_id"].isin(view["ids"]), "park_id"].nunique()
    return i18n.t("peer_none_level", lang, group=group_name, peers=view["peers"], year=year, indicator=indicator,
                  only=i18n.t("peer_only_targets", lang, n=with_target) if with_target else "")


def _peer_sources(analysis: Analysis, park_id: str, indicator_id: str, year: int) -> list:
    """The park's own documents behind the figures shown (a footer cannot list thousands of peers' documents)."""
    return park_sources(analysis, [park_id], indicator_id, [year - 1, year])


@memoized_figure
def peer_figure(analysis: Analysis, park_id: str, indicator_id: str, year: int, group: str, lang: str,
                measure: str = "level"):
    """The distribution chart of peer_view: actual levels ('level') or target ambition ('ambition')."""
    view = peer_view(analysis, park_id, indicator_id, year, group)
    values = view["values"] if measure == "level" else view["ambition"]
    if values.empty:
        return None
    indicator, parks = analysis.dataset.indicators[indicator_id], analysis.dataset.parks
    standing = view["standing"] if measure == "level" else view["ambition_standing"]
    if len(values) < PEER_RANKED_MIN:      # one bar: no rank, no median line (peer_reason says why)
        standing = {}
    values = values.assign(label=[i18n.short(parks[p], lang) for p in values["park_id"]])
    group_label = i18n.t(f"peer_group_{group}", lang)
    unit = indicator.unit if measure == "level" else "%"
    return charts.peer_distribution(values, analysis.dataset.parks[park_id], indicator, year, standing,
                                    view["target"] if measure == "level" else None, group_label,
                                    _peer_sources(analysis, park_id, indicator_id, year), lang, unit, measure,
                                    among=i18n.t(f"peer_among_{group}", lang))
