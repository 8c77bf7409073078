"""Open every service the web app and the CLI use, from one settings object."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from appliance.auth import SessionManager
from appliance.config import Settings
from appliance.credentials import open_site
from appliance.engine import DecisionNode, Module
from appliance.engine.curriculum import Curriculum, load_curriculum, publish
from appliance.engine.validation import validate_curriculum
from appliance.grader import BaseGrader, load_grader
from appliance.grader.backends import RubricGrader
from appliance.services._auth import AuthService
from appliance.services._authoring import AuthoringService
from appliance.services._catalogue import CatalogueService
from appliance.services._credentials import CredentialAwarder
from appliance.services._curriculum import Archive, CurriculumService
from appliance.services._dashboard import DashboardService
from appliance.services._errors import ServiceError
from appliance.services._health import health_report
from appliance.services._insights import InsightsService
from appliance.services._player import PlayerService
from appliance.services._records import RecordsService, home_page
from appliance.services._review import ReviewService
from appliance.services._rubrics import RubricSource
from appliance.services._wallet import CredentialService
from appliance.store import Store, StoreError
from appliance.sync import Installer, SyncLoop, SyncStatus, sync_status

log = logging.getLogger(__name__)


@dataclass
class Services:
    """The appliance's services, opened once at start-up and passed to pages."""

    settings: Settings
    store: Store
    grader: BaseGrader
    curriculum: CurriculumService
    sessions: SessionManager
    auth: AuthService
    player: PlayerService
    catalogue: CatalogueService
    credentials: CredentialService
    authoring: AuthoringService
    sync: SyncLoop
    review: ReviewService
    records: RecordsService
    dashboard: DashboardService
    insights: InsightsService
    _warm: threading.Event = field(default_factory=threading.Event)

    def site_name(self) -> str:
        """The site name set at provisioning (the configured one before that)."""
        return self.auth.site_name(self.settings.site_name)

    def health(self) -> dict[str, Any]:
        """The ``/healthz`` report."""
        report = health_report(self.settings, self.store, self.grader)
        report["grader"]["warm"] = self._warm.is_set()
        report["sync"] = sync_status(self.settings.data_dir, self.store).model_dump(mode="json")
        return report

    def sync_status(self) -> SyncStatus:
        """The honest sync status (last success, last error, pending events) for the admin page."""
        return sync_status(self.settings.data_dir, self.store)

    def warm_up(self) -> threading.Thread:
        """Prepare every rubric the curriculum grades against, in a background thread.

        Preparing a rubric (embedding its key points, phrasings, red flags and exemplars) costs ~0.3 s the first
        time; doing it at start-up keeps that off the first learner's submit.
        """

        def run() -> None:
            self.prepare_rubrics()
            self.dashboard.build()  # adds up every shard summary once; later builds re-add only changes
            self._warm.set()

        thread = threading.Thread(target=run, name="grader-warm-up", daemon=True)
        thread.start()
        return thread

    def prepare_rubrics(self) -> int:
        """Prepare (and cache) the grader's analysis of every decision's rubric and choice; return how many."""
        if not isinstance(self.grader, RubricGrader):
            return 0
        started = time.perf_counter()
        count = 0
        for module in self.curriculum.curriculum.modules:
            for scenario in module.scenarios:
                for node in scenario.nodes:
                    if isinstance(node, DecisionNode) and node.rubric is not None:
                        for choice in node.choices:
                            self.grader.prepared(node.rubric, node.prompt, choice.label)
                            count += 1
        log.info("prepared %d rubric/choice pairs in %.1f s", count, time.perf_counter() - started)
        return count

    def housekeeping(self) -> object:
        """Purge rationale texts past the retention period; return the store's report.

        :raises ServiceError: the store could not purge (it will be tried again).
        """
        try:
            return self.store.purge_expired()
        except StoreError as err:
            raise ServiceError(f"retention purge failed: {err}") from err

    def close(self) -> None:
        """Release the store's lock and the grader's workers."""
        self.grader.close()
        self.store.close()


def _curriculum(settings: Settings, store: Store) -> Curriculum:
    """Load the installed hub bundle (else the configured curriculum); record each module version in the store."""
    curriculum = load_curriculum(Installer(settings.data_dir).active_dir or settings.curriculum_dir)
    problems = validate_curriculum(curriculum)
    if problems:
        raise ValueError("the curriculum has problems:\n  " + "\n  ".join(map(str, problems)))
    for module in curriculum.modules:
        document = publish(module)
        if store.curriculum.by_hash(document.content_hash or "") is None:
            store.curriculum.publish(document)
    return _with_authored(curriculum, store)


def _with_authored(curriculum: Curriculum, store: Store) -> Curriculum:
    """Offer the newest published version of each module, including those published from the editor."""
    files = {m.id: m for m in curriculum.modules}
    modules = list(curriculum.modules)
    for record in store.curriculum.modules():
        module = record.document.module
        if record.module_id not in files:
            modules.append(module)
        elif _version_key(module.version) > _version_key(files[record.module_id].version):
            modules[modules.index(files[record.module_id])] = module
    return curriculum.model_copy(update={"modules": tuple(modules)})


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def _archived(store: Store) -> Archive:
    def find(module_id: str, version: str) -> Module | None:
        record = store.curriculum.get(module_id, version)
        return record.document.module if record else None

    return find


def open_services(settings: Settings, grader: BaseGrader | None = None) -> Services:
    """Open the store, load the curriculum and the grader, and wire the services together."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store.from_settings(settings)
    try:
        curriculum = CurriculumService(_curriculum(settings, store), archive=_archived(store))
        grader = grader or load_grader(settings)
        log.info("grader: %s", grader.describe())
        sessions = SessionManager(
            settings.session_timeout_minutes * 60, path=settings.data_dir / "keys" / "sessions.json"
        )
        auth = AuthService(
            store,
            on_user_signed_out=sessions.end_user,
            setup_code_file=settings.data_dir / "keys" / "setup-code",
            data_dir=settings.data_dir,
        )
        site = open_site(
            settings.data_dir,
            store,
            curriculum.curriculum,
            lambda: auth.site_name(settings.site_name),
            settings.public_url,
        )
        awarder = CredentialAwarder(store, curriculum.taxonomy, site.issuer)
        rubrics = RubricSource(store)
        records = RecordsService(store, curriculum.curriculum, home_page(settings, store))
        return Services(
            settings=settings,
            store=store,
            grader=grader,
            curriculum=curriculum,
            sessions=sessions,
            auth=auth,
            player=PlayerService(store, curriculum, grader, awarder, rubrics, records),
            catalogue=CatalogueService(store, curriculum, awarder),
            credentials=CredentialService(store, curriculum, site),
            authoring=AuthoringService(store, curriculum),
            sync=SyncLoop(store, urls=(settings.hub_url,) if settings.hub_url else ()),
            review=ReviewService(store, curriculum, awarder, rubrics, records),
            records=records,
            dashboard=DashboardService(store, curriculum),
            insights=InsightsService(store, curriculum, grader, rubrics),
        )
    except BaseException:
        store.close()
        raise
