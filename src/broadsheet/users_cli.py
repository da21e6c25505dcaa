"""``broadsheet users``: list accounts, add one, change a role, make a password reset link."""

from __future__ import annotations

import argparse
import getpass
import sys

from broadsheet.core import Broadsheet
from broadsheet.exceptions import BroadsheetError

__all__ = ["run_users"]


def run_users(broadsheet: Broadsheet, args: argparse.Namespace) -> int:
    if args.action == "list":
        for user in broadsheet.store.accounts.list_users():
            print(f"{user.id:>5}  {user.role:<7} {user.email}  since {user.created_at:%Y-%m-%d}")
        return 0
    if not args.email:
        raise BroadsheetError(f"users {args.action} needs an email address")
    if args.action == "add":
        password = _password(args.password_stdin)
        user = broadsheet.accounts.add_user(args.email, password, role=args.role)
        print(f"added {user.email} ({user.role})")
        return 0
    user, _ = broadsheet.store.get_user_by_email(args.email)
    if args.action == "set-role":
        if not args.role:
            raise BroadsheetError("set-role needs --role reader|editor|admin")
        broadsheet.store.accounts.set_role(user.id, args.role)
        print(f"{user.email} is now {args.role}")
        return 0
    settings = broadsheet.settings
    base = settings.base_url or f"http://{settings.host}:{settings.port}"
    print(broadsheet.accounts.make_reset_link(user.id, base_url=base))
    return 0


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise BroadsheetError("the passwords differ")
    return first
