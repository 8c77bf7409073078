"""The cohort dashboard (educators and admins): rates by module, role and competency, scores, backlog, exports."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.responses import RedirectResponse
from nicegui import ui

from appliance.auth import Role
from appliance.services.records import RecordFilter
from appliance.services.views import Dashboard
from appliance.ui._context import io_bound, require, services, still_granted
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for
from appliance.ui.widgets.charts import all_charts


def _month_start(month: str | None) -> datetime | None:
    return datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC) if month else None


class DashboardView:
    """Filters, headline figures, charts and downloads."""

    def __init__(self) -> None:
        self.svc = services()
        self.module_id: str | None = None
        self.since: str | None = None
        self.board: Dashboard | None = None

    async def load(self) -> None:
        """Add up the figures for the current filters."""
        self.board = await io_bound(self.svc.dashboard.build, self.since, None, self.module_id)
        self.render.refresh()

    def _where(self) -> RecordFilter:
        return RecordFilter(since=_month_start(self.since), module_id=self.module_id)

    async def download_csv(self) -> None:
        """Offer the per-decision CSV (UTF-8 with BOM)."""
        if not still_granted(Role.REVIEWER):
            return
        text = await io_bound(self.svc.records.csv_text, self._where())
        ui.download.content(text.encode("utf-8"), "ward-records.csv", "text/csv")

    async def download_xapi(self) -> None:
        """Offer the xAPI statements as JSON lines."""
        if not still_granted(Role.REVIEWER):
            return
        text = await io_bound(self.svc.records.xapi_text, self._where())
        ui.download.content(text.encode("utf-8"), "ward-xapi.jsonl", "application/x-ndjson")

    def controls(self) -> None:
        """Module and period filters and the download buttons."""
        modules = {m.id: m.title for m in self.svc.curriculum.curriculum.modules}
        now = datetime.now(UTC)
        periods = {
            f"{(now.year * 12 + now.month - 1 - back) // 12:04d}-{(now.month - 1 - back) % 12 + 1:02d}": label
            for back, label in ((2, "Last 3 months"), (5, "Last 6 months"), (11, "Last 12 months"))
        }

        async def set_module(value: str | None) -> None:
            self.module_id = value
            await self.load()

        async def set_since(value: str | None) -> None:
            self.since = value
            await self.load()

        with ui.row().classes("w-full gap-2 items-center"):
            ui.select(
                modules, label="Module", clearable=True, on_change=lambda e: set_module(e.value)
            ).classes("min-w-[14rem] grow").mark("dash-module")
            ui.select(
                periods, label="Period", clearable=True, on_change=lambda e: set_since(e.value)
            ).classes("min-w-[12rem]").mark("dash-period")
            ui.button("CSV", icon="download", on_click=self.download_csv).props("outline").mark(
                "download-csv"
            )
            ui.button("xAPI", icon="download", on_click=self.download_xapi).props("outline").mark(
                "download-xapi"
            )

    @ui.refreshable_method
    def render(self) -> None:
        """Headline figures and every chart (with a "No data yet" title when there is nothing)."""
        board = self.board
        if board is None:
            ui.spinner(size="lg")
            return
        graded = sum(m.graded for m in board.modules)
        passed = sum(m.passed for m in board.modules)
        with ui.row().classes("w-full gap-4"):
            for label, value in (
                ("Graded answers", f"{graded:,}"),
                ("Passed", f"{passed / graded:.0%}" if graded else "–"),
                ("Waiting for review", f"{board.pending:,}"),
                ("Reviewed", f"{board.reviewed:,}"),
            ):
                with ui.card().classes("grow min-w-[9rem]"):
                    ui.label(label).classes("text-grey-8")
                    ui.label(value).classes("text-h5").mark(f"figure-{label.lower().replace(' ', '-')}")
        if board.empty:
            ui.label("No graded answers yet: the charts fill in as learners play.").classes("text-lg").mark(
                "dashboard-empty"
            )
        for marker, options in all_charts(board).items():
            ui.echart(options).classes("w-full h-96").mark(marker)


async def dashboard_page() -> RedirectResponse | None:  # type: ignore[return]
    """The cohort dashboard."""
    session = require(Role.REVIEWER)
    if isinstance(session, RedirectResponse):
        return session
    svc = services()
    view = DashboardView()
    with frame(
        "Cohort dashboard",
        svc.site_name(),
        session.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(session.roles),
    ):
        ui.add_css(".nicegui-content .max-w-3xl { max-width: 72rem; }")
        view.controls()
        view.render()
    await view.load()
