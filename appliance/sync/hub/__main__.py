"""``python -m appliance.sync.hub``: serve the hub from ``WARD_HUB_*`` settings (no CLI start-up cost).

The same :func:`open_hub` and :func:`serve` as ``appliance hub serve``; used by process managers and tests.
"""

from appliance.sync.hub._service import open_hub, serve
from appliance.sync.hub._settings import load_hub_settings

hub = open_hub(load_hub_settings())
try:
    serve(hub)
finally:
    hub.close()
