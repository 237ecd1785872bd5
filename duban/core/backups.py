"""What a backup holds and what a restore gave back, to compare (scripts/backup, scripts/restore):
every table's row count and every file's SHA-256. A backup's manifest is read from its own
artefacts (the dump's data, the archive's files), so it describes exactly the snapshot taken even
while the site kept working; a restore's is read from the restored database and folder.

    python -m duban.core.backups backup FOLDER
    python -m duban.core.backups install DATABASE_URL MEDIA_FOLDER
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg

COPY = re.compile(r"^COPY public\.(\w+) ")


def _sha256(stream) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def of_backup(folder: Path) -> list[str]:
    lines = []
    argv = [shutil.which("pg_restore") or "pg_restore", "--data-only", "--file=-", str(folder / "database.dump")]
    dump = subprocess.Popen(argv, stdout=subprocess.PIPE)  # noqa: S603 - pg_restore on our own dump
    table, rows = None, 0
    for raw in dump.stdout:
        if table is None:
            found = COPY.match(raw.decode("utf-8", "replace"))
            if found:
                table, rows = found.group(1), 0
        elif raw == b"\\.\n":
            lines.append(f"table {table} {rows}")
            table = None
        else:
            rows += 1
    if dump.wait():
        raise SystemExit("pg_restore could not read the dump")
    with tarfile.open(folder / "files.tar.gz", "r:gz") as archive:
        for member in archive:
            if member.isfile():
                name = Path(member.name).as_posix().removeprefix("./")
                lines.append(f"file {name} {_sha256(archive.extractfile(member))}")
    return sorted(lines)


def of_install(database_url: str, media: Path) -> list[str]:
    lines = []
    with psycopg.connect(database_url) as connection:
        names = [row[0] for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]  # fmt: skip
        for name in names:
            (count,) = connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()  # noqa: S608 - catalogue names
            lines.append(f"table {name} {count}")
    for path in media.rglob("*"):
        if path.is_file():
            with path.open("rb") as stream:
                lines.append(f"file {path.relative_to(media).as_posix()} {_sha256(stream)}")
    return sorted(lines)


def main(argv: list[str]) -> None:
    if argv[:1] == ["backup"] and len(argv) == 2:
        lines = of_backup(Path(argv[1]))
    elif argv[:1] == ["install"] and len(argv) == 3:
        lines = of_install(argv[1], Path(argv[2]))
    else:
        raise SystemExit(__doc__)
    sys.stdout.write("".join(line + "\n" for line in lines))


if __name__ == "__main__":
    main(sys.argv[1:])
