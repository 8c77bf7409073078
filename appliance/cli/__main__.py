"""``python -m appliance.cli``: the same as the ``appliance`` console script."""

from appliance.cli import main

main()
