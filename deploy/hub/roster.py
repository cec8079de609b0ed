#!/usr/bin/env python3
"""Create the class's Unix accounts from a roster CSV, as root: `python3 deploy/hub/roster.py ROSTER.csv`.

The roster has nbgrader's student-import columns plus a role:

    id,first_name,last_name,email,role
    teacher,Ada,Lovelace,ada@example.org,instructor
    s001,Grace,Hopper,,student

Exactly one instructor; `role` may be left out for students. Running it again is safe: an
existing account is kept as it is (its password too), a new one is created with a locked-down
home (0700) and a random first password, written only to COURSE_HUB_DIR/initial-passwords.csv
(mode 0600, root) for the instructor to hand out (students change it with `passwd` in a terminal).
`--no-passwords` leaves new accounts without a password (for another authenticator).
A name that belongs to a system account (uid below 1000) is refused. The hub serves the roster
copied to COURSE_HUB_DIR/roster.csv: restart the hub (`make hub`) after a change. Removing
someone from the roster removes their access to the hub, not their account or files.

Errors are one line on stderr, exit status 2; nothing is changed unless the whole roster is valid.
"""

from __future__ import annotations

import argparse
import csv
import grp
import io
import os
import pwd
import secrets
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubconf  # noqa: E402

FIRST_UID = 1000


def _run(*command: str, stdin: str | None = None) -> None:
    done = subprocess.run(command, input=stdin, text=True, capture_output=True)
    if done.returncode:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise hubconf.RosterError(f"{command[0]} failed: {message[-1] if message else done.returncode}")


def ensure_account(member: hubconf.Member) -> str | None:
    """Create `member`'s account if missing; their new password, or None if the account existed."""
    try:
        account = pwd.getpwnam(member.id)
    except KeyError:
        account = None
    if account is not None:
        if account.pw_uid < FIRST_UID:
            raise hubconf.RosterError(f"{member.id} is a system account (uid {account.pw_uid}): choose another id")
        return None
    try:
        grp.getgrnam(member.id)
        group = ["--gid", member.id]  # a group of that name exists already: use it
    except KeyError:
        group = ["--user-group"]
    comment = " ".join(p for p in (member.first_name, member.last_name) if p) or member.id
    _run("useradd", "--create-home", "--shell", "/bin/bash", "--comment", comment, *group,
         "--key", f"UID_MIN={FIRST_UID}", member.id)
    os.chmod(pwd.getpwnam(member.id).pw_dir, 0o700)
    return secrets.token_urlsafe(12)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roster", type=Path, help="CSV with columns id,first_name,last_name,email[,role]")
    parser.add_argument("--no-passwords", action="store_true", help="leave new accounts without a password")
    args = parser.parse_args(argv)
    try:
        if os.geteuid() != 0:
            raise hubconf.RosterError("run as root (sudo): it creates Unix accounts")
        members = hubconf.read_roster(args.roster)
        for member in members:  # refuse system accounts before changing anything
            try:
                uid = pwd.getpwnam(member.id).pw_uid
            except KeyError:
                continue
            if uid < FIRST_UID:
                raise hubconf.RosterError(f"{member.id} is a system account (uid {uid}): choose another id")
        new_passwords = []
        for member in members:
            password = ensure_account(member)
            if password and not args.no_passwords:
                _run("chpasswd", stdin=f"{member.id}:{password}\n")
                new_passwords.append((member.id, password))
            print(f"{member.id}: {member.role}, " + ("created" if password else "exists"))
        hubconf._mkdir(hubconf.HUB_DIR, 0o755)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(hubconf.COLUMNS)
        for m in members:
            writer.writerow([m.id, m.first_name, m.last_name, m.email, m.role])
        hubconf._write(hubconf.roster_path(), out.getvalue(), 0o600)
        if new_passwords:
            passwords = hubconf.HUB_DIR / "initial-passwords.csv"
            fd = os.open(passwords, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as handle:
                if handle.tell() == 0:
                    handle.write("id,password\n")
                handle.writelines(f"{name},{password}\n" for name, password in new_passwords)
            os.chmod(passwords, 0o600)
            print(f"first passwords of the {len(new_passwords)} new account(s): {passwords} (root only)")
        hubconf.prepare(members)
        print(f"roster of {len(members)} served by the hub: {hubconf.roster_path()} (restart the hub to apply)")
    except hubconf.RosterError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
