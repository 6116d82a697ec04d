"""Demo users for `stims demo`: one per role, linked to the demo directory, and the sign-in table.

accounts comes before orgs in INSTALLED_APPS, so this module loads the (idempotent) demo directory
itself rather than relying on the orgs demo having run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TextIO

from django.contrib.auth.hashers import check_password, make_password
from django.utils import translation

from stims.accounts.models import Role, RoleAssignment, User
from stims.demo.orgs import CREATED, DEMO_REASON, Directory, Tally, load_directory, upsert, write_summary

# The documented password of the demo users (README), replaced by STIMS_DEMO_PASSWORD (bandit B105).
DEFAULT_PASSWORD = "stims-demo-2026"  # nosec B105


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str | None
    # Keys into the demo directory (orgs.demo); None = not limited / not linked.
    unit: str | None = None
    person: str | None = None
    organization: str | None = None
    # Display name for users not linked to a person.
    display_name: str = ""
    superuser: bool = False


USERS: tuple[UserSpec, ...] = (
    UserSpec("admin", None, display_name="Quản trị hệ thống (demo)", superuser=True),
    UserSpec("lanhdao", Role.LEADER, organization="so_qn", display_name="Lãnh đạo Sở (demo)"),
    UserSpec("chuyenvien", Role.SPECIALIST, person="tran_quang_minh", organization="p_qlkh_qn"),
    UserSpec("thanhtra", Role.INSPECTOR, person="pham_duc_anh", organization="tt_so_qn"),
    UserSpec(
        "canbo.bache",
        Role.LOCAL_OFFICER,
        unit="old_h_bache",
        person="trieu_van_long",
        organization="ubnd_h_bache",
    ),
    UserSpec(
        "canbo.xabache",
        Role.LOCAL_OFFICER,
        unit="x_bache",
        person="dang_van_hai",
        organization="ubnd_x_bache",
    ),
    UserSpec(
        "canbo.binhlieu",
        Role.LOCAL_OFFICER,
        unit="old_h_binhlieu",
        person="hoang_thi_thanh_mai",
        organization="ubnd_h_binhlieu",
    ),
    UserSpec("hoidong", Role.COUNCIL_MEMBER, person="ngo_van_khanh", organization="hvnn"),
    UserSpec("xem", Role.VIEWER, display_name="Người xem (demo)"),
)


def demo_password() -> str:
    return os.environ.get("STIMS_DEMO_PASSWORD") or DEFAULT_PASSWORD


class DemoPassword:
    """The demo password, hashed once and shared by every demo user.

    A password hash costs about half a second by design; nine of them on every run would make
    `stims demo` slow for nothing. Demo accounts share one printed password, so sharing its hash
    (same salt) gives nothing away, and a hash already verified need not be checked again.
    """

    def __init__(self, raw: str):
        self.raw = raw
        self._encoded: str | None = None
        self._verified: set[str] = set()

    def encoded(self) -> str:
        if self._encoded is None:
            self._encoded = make_password(self.raw)
            self._verified.add(self._encoded)
        return self._encoded

    def matches(self, encoded: str) -> bool:
        # The bare hasher, not User.check_password: that one re-saves the user to upgrade an old hash,
        # which would write a history row.
        if encoded in self._verified:
            return True
        if check_password(self.raw, encoded):
            self._verified.add(encoded)
            return True
        return False

    def ensure(self, user: User) -> bool:
        """Make this the user's password; True if it had to change.

        Written with a queryset update, which writes no history: the password is excluded from user
        history anyway, and a user whose other fields did not change should get no new row.
        """
        if self.matches(user.password):
            return False
        user.password = self.encoded()
        User.objects.filter(pk=user.pk).update(password=user.password)
        return True


def load_users(directory: Directory, password: DemoPassword, tally: Tally) -> list[tuple[User, UserSpec]]:
    users = []
    for spec in USERS:
        person = directory.people[spec.person] if spec.person else None
        values = {
            # Vietnamese names read family name first: the whole name goes in one field so that
            # get_full_name() shows it in the right order.
            "first_name": person.full_name if person else spec.display_name,
            "last_name": "",
            "person": person,
            "organization": directory.orgs[spec.organization] if spec.organization else None,
            "is_active": True,
            "is_staff": spec.superuser,
            "is_superuser": spec.superuser,
        }
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            # A new user gets its password before the first save, so creation is one history row.
            user = User(username=spec.username, password=password.encoded(), **values)
            user.full_clean()
            user._change_reason = DEMO_REASON
            user.save()
            tally.add("Users", CREATED)
        else:
            user = upsert(User, {"username": spec.username}, values, tally)
            password.ensure(user)
        if spec.role:
            upsert(
                RoleAssignment,
                {"user": user, "role": spec.role},
                {
                    "admin_unit": directory.units[spec.unit] if spec.unit else None,
                    "organization": None,
                    "valid_from": None,
                    "valid_to": None,
                },
                tally,
            )
        users.append((user, spec))
    return users


def _scope_label(spec: UserSpec, directory: Directory) -> str:
    if spec.superuser:
        return "everything (superuser)"
    if spec.unit:
        return str(directory.units[spec.unit])
    return "whole deployment"


def write_table(
    stdout: TextIO, rows: list[tuple[User, UserSpec]], directory: Directory, password: str
) -> None:
    port = os.environ.get("PORT") or "8000"
    header = ("Username", "Role", "Limited to", "Password")
    # English like the rest of the console output, whatever the deployment's language.
    with translation.override("en"):
        lines = [
            (
                user.username,
                f"{spec.role} ({Role(spec.role).label})" if spec.role else "administrator",
                _scope_label(spec, directory),
                password,
            )
            for user, spec in rows
        ]
    widths = [max(len(str(row[i])) for row in (header, *lines)) for i in range(len(header))]
    rule = "-+-".join("-" * width for width in widths)

    def fmt(row: tuple) -> str:
        return " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()

    stdout.write("\n")
    stdout.write(f"STIMS demo is ready: http://127.0.0.1:{port}\n")
    stdout.write("Sign in with any of these accounts:\n\n")
    stdout.write(fmt(header) + "\n")
    stdout.write(rule + "\n")
    for row in lines:
        stdout.write(fmt(row) + "\n")
    stdout.write("\n")
    if not os.environ.get("STIMS_DEMO_PASSWORD"):
        stdout.write("(Set STIMS_DEMO_PASSWORD before `stims demo` to choose another password.)\n")


def load(stdout: TextIO) -> None:
    """`stims demo` entry point for accounts: directory, users, role assignments, sign-in table."""
    directory = load_directory()
    write_summary(stdout, "Demo directory (organizations, people, local S&T bodies):", directory.tally)
    password = demo_password()
    tally = Tally()
    rows = load_users(directory, DemoPassword(password), tally)
    write_summary(stdout, "Demo users:", tally)
    _sign_in_table.update(rows=rows, directory=directory, password=password)


# Filled by load(), printed by finish(): `stims demo` calls every app's finish() after all loads, so
# the sign-in table is the last thing a newcomer sees whatever other apps print.
_sign_in_table: dict = {}


def finish(stdout: TextIO) -> None:
    if _sign_in_table:
        write_table(stdout, **_sign_in_table)
