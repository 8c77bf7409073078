"""Authoring: edit sessions, previews, templates, Twee import and the rubric doctor.

Public on purpose, outside ``appliance.services``'s short top level.
"""

from appliance.services._authoring import EditOutcome, EditSession, VersionInfo
from appliance.services._doctor import DoctorReport, ExemplarCheck, examine
from appliance.services._preview import Preview, PreviewGrader, preview_continue, preview_decide, preview_from
from appliance.services._templates import TEMPLATES, Template, blank, template
from appliance.services._twee import TweeImport, import_twee

__all__ = [
    "TEMPLATES",
    "DoctorReport",
    "EditOutcome",
    "EditSession",
    "ExemplarCheck",
    "Preview",
    "PreviewGrader",
    "Template",
    "TweeImport",
    "VersionInfo",
    "blank",
    "examine",
    "import_twee",
    "preview_continue",
    "preview_decide",
    "preview_from",
    "template",
]
