"""Print the EFI partition's grub.cfg for the layout given on the command line (used by images/build.sh)."""

import sys
from pathlib import Path

from appliance.update import read_layout, render_grub_cfg

CMDLINE = "console=tty0 console=ttyS0,115200 panic=10 quiet systemd.show_status=auto"

layout = read_layout(Path(sys.argv[1]))
layout.check()
sys.stdout.write(render_grub_cfg(layout.slots(), CMDLINE))
