"""Print the image manifest (JSON): every Debian package, Python package and model, with versions and licences."""

import json
import re
import subprocess
import sys
from pathlib import Path


def debian_licences(package: str) -> list[str]:
    path = Path(f"/usr/share/doc/{package}/copyright")
    if not path.is_file():
        return []
    text = path.read_text(errors="replace")
    found = sorted({m.strip() for m in re.findall(r"^License:\s*(\S[^\n]*)", text, re.M)})
    if not found:
        for name, pattern in (
            ("GPL", r"GNU General Public License"),
            ("LGPL", r"Lesser General Public"),
            ("BSD", r"\bBSD\b"),
            ("MIT", r"\bMIT\b"),
            ("Apache", r"Apache License"),
        ):
            if re.search(pattern, text):
                found.append(f"{name} (from text)")
    return found


def debian() -> list[dict]:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package}\t${Version}\t${Architecture}\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = []
    for line in out.splitlines():
        name, version, arch = line.split("\t")
        rows.append({"name": name, "version": version, "arch": arch, "licences": debian_licences(name)})
    return rows


def python() -> list[dict]:
    code = (
        "import importlib.metadata as m, json\n"
        "rows=[]\n"
        "for d in m.distributions():\n"
        "    md=d.metadata\n"
        "    lic=md.get('License-Expression') or md.get('License') or ''\n"
        "    if len(lic)>80 or not lic.strip():\n"
        "        lic='; '.join(c.split('::')[-1].strip() for c in md.get_all('Classifier') or [] if c.startswith('License'))\n"
        "    rows.append({'name': md['Name'], 'version': d.version, 'licence': lic or 'unknown'})\n"
        "print(json.dumps(sorted(rows, key=lambda r: r['name'].lower())))\n"
    )
    out = subprocess.run(
        ["/opt/ward/venv/bin/python", "-c", code], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def models() -> list[dict]:
    rows = []
    for path in sorted(Path("/usr/lib/ward/models").glob("*.json")):
        spec = json.loads(path.read_text())
        built = (path.parent / spec["file"]).is_file()
        rows.append(
            {
                "name": spec["name"],
                "version": spec.get("version"),
                "licence": spec.get("licence"),
                "sha256": spec.get("sha256"),
                "source": spec.get("source_package"),
                "included": built,
            }
        )
    return rows


json.dump(
    {"image_version": sys.argv[1], "debian": debian(), "python": python(), "models": models()},
    sys.stdout,
    indent=1,
)
