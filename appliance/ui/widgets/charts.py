"""ECharts options for the cohort dashboard (drawn by NiceGUI's bundled ECharts: nothing from a CDN).

Pure functions from the dashboard's figures to option dictionaries, so they are tested without a browser.
An empty figure gives a chart with a "No data yet" title instead of an empty frame.
"""

from __future__ import annotations

from typing import Any

from appliance.services.views import Dashboard, Series

_FONT = {"fontSize": 14}
_BIN_COLOURS = [
    "#b71c1c", "#d84315", "#ef6c00", "#f9a825", "#fbc02d", "#c0ca33", "#7cb342", "#43a047", "#2e7d32", "#1b5e20",
]  # fmt: skip
_BINS = [f"{i * 10}-{i * 10 + 9}%" if i < 9 else "90-100%" for i in range(10)]


def _base(title: str, empty: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 16}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 48, "right": 16, "top": 56, "bottom": 64, "containLabel": True},
        "textStyle": _FONT,
        "animation": False,
    }
    if empty:
        options["title"]["subtext"] = "No data yet"
        options["title"]["top"] = "middle"
    return options


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def rates_by_group(
    title: str, labels: list[str], completion: list[float | None], passed: list[float | None]
) -> dict[str, Any]:
    """Completion and pass rate (in %) as grouped horizontal bars, one pair per group."""
    options = _base(title, not labels)
    options.update(
        legend={"bottom": 0, "textStyle": _FONT},
        xAxis={"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        yAxis={"type": "category", "data": labels, "axisLabel": {"width": 180, "overflow": "truncate"}},
        series=[
            {"name": "Completion", "type": "bar", "data": [_pct(v) for v in completion]},
            {"name": "Rationales passed", "type": "bar", "data": [_pct(v) for v in passed]},
        ],
    )
    return options


def over_time(
    title: str, months: tuple[str, ...], series: tuple[Series, ...], measure: str = "pass_rate"
) -> dict[str, Any]:
    """A line per group over months (pass rate by default, or ``completion``)."""
    options = _base(title, not months or not series)
    options.update(
        legend={"bottom": 0, "type": "scroll", "textStyle": _FONT},
        xAxis={"type": "category", "data": list(months)},
        yAxis={"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        series=[
            {
                "name": s.label, "type": "line", "connectNulls": True, "symbolSize": 8,
                "data": [_pct(v) for v in getattr(s, measure)],
            }
            for s in series
        ],
    )  # fmt: skip
    return options


def score_distribution(board: Dashboard, limit: int = 12) -> dict[str, Any]:
    """Stacked score bins per decision (the busiest decisions), after review."""
    decisions = sorted(board.decisions, key=lambda d: -d.graded)[:limit]
    options = _base("Score distribution per decision", not decisions)
    options.update(
        color=_BIN_COLOURS,
        legend={"bottom": 0, "type": "scroll", "textStyle": _FONT},
        xAxis={
            "type": "category",
            "data": [d.label for d in decisions],
            "axisLabel": {"rotate": 20, "width": 120, "overflow": "truncate"},
        },
        yAxis={"type": "value", "name": "answers"},
        series=[
            {"name": label, "type": "bar", "stack": "scores", "data": [d.bins[i] for d in decisions]}
            for i, label in enumerate(_BINS)
        ],
    )
    return options


def missed_points(board: Dashboard) -> dict[str, Any]:
    """The most-missed key points, as % of graded answers at their decision."""
    points = list(reversed(board.missed[:10]))
    options = _base("Most-missed key points", not points)
    options.update(
        xAxis={"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        yAxis={
            "type": "category",
            "data": [p.text for p in points],
            "axisLabel": {"width": 260, "overflow": "truncate"},
        },
        series=[{"name": "Missed", "type": "bar", "data": [_pct(p.rate) for p in points]}],
    )
    return options


def backlog(board: Dashboard) -> dict[str, Any]:
    """Answers flagged (still waiting) and reviewed, per month."""
    months = sorted(set(board.pending_by_month) | set(board.reviewed_by_month))
    options = _base(f"Review backlog: {board.pending} waiting", not months)
    options.update(
        legend={"bottom": 0, "textStyle": _FONT},
        xAxis={"type": "category", "data": months},
        yAxis={"type": "value", "name": "answers"},
        series=[
            {"name": "Waiting", "type": "bar", "data": [board.pending_by_month.get(m, 0) for m in months]},
            {"name": "Reviewed", "type": "bar", "data": [board.reviewed_by_month.get(m, 0) for m in months]},
        ],
    )
    return options


def all_charts(board: Dashboard) -> dict[str, dict[str, Any]]:
    """Every chart of the dashboard page, by marker name."""
    modules, roles, comps = board.modules, board.roles, board.competencies
    return {
        "chart-modules": rates_by_group(
            "By module",
            [m.label for m in modules],
            [m.completion for m in modules],
            [m.pass_rate for m in modules],
        ),
        "chart-roles": rates_by_group(
            "By hospital role",
            [r.label for r in roles],
            [r.completion for r in roles],
            [r.pass_rate for r in roles],
        ),
        "chart-competencies": rates_by_group(
            "By competency",
            [c.label for c in comps],
            [c.completion for c in comps],
            [c.pass_rate for c in comps],
        ),
        "chart-modules-time": over_time("Pass rate by module over time", board.months, board.module_series),
        "chart-roles-time": over_time(
            "Pass rate by hospital role over time", board.months, board.role_series
        ),
        "chart-competencies-time": over_time(
            "Pass rate by competency over time", board.months, board.competency_series
        ),
        "chart-completion-time": over_time(
            "Completion by module over time", board.months, board.module_series, "completion"
        ),
        "chart-scores": score_distribution(board),
        "chart-missed": missed_points(board),
        "chart-backlog": backlog(board),
    }
