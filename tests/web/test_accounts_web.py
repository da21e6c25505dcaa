"""Accounts through the web: sign-up (first user admin), sign-in/out, CSRF on every form, login
rate limits, registration modes, password resets by admin link and by mail, roles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from broadsheet.core import Broadsheet
from broadsheet.exceptions import ConfigError
from tests.conftest import Clock
from tests.web.readerkit import PASSWORD, FakeMailer, Reader, make_app, new_reader


def test_sign_up_sign_in_and_out(client: TestClient, broadsheet: Broadsheet) -> None:
    reader = Reader(client)
    assert "Welcome to Broadsheet" in reader.get("/").text  # a fresh install shows its home page
    response = reader.sign_up("Ada@Example.org")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "bs_session=" in cookie and "HttpOnly" in cookie and "Secure" in cookie
    assert "samesite=lax" in cookie.lower()
    home = reader.get("/")
    assert "Sign out" in home.text and 'href="/admin"' in home.text  # first account: admin
    assert broadsheet.store.accounts.list_users()[0].role == "admin"
    stored = broadsheet.store.get_user_by_email("ada@example.org")[1]
    assert stored.startswith("$argon2id$")
    assert reader.post("/signout", follow_redirects=False).status_code == 303
    assert "Sign in" in reader.get("/").text
    assert reader.get("/saved", follow_redirects=False).headers["location"] == "/signin?next=/saved"
    assert reader.sign_in("ada@example.org").status_code == 303
    assert reader.get("/saved").status_code == 200


def test_second_account_is_a_reader_and_duplicates_are_refused(broadsheet: Broadsheet) -> None:
    new_reader(broadsheet).sign_up("admin@example.org")
    reader = new_reader(broadsheet)
    assert reader.sign_up("bob@example.org").status_code == 303
    assert 'href="/admin"' not in reader.get("/").text
    assert reader.get("/admin").status_code == 403
    again = new_reader(broadsheet).sign_up("BOB@example.org")
    assert again.status_code == 400 and "exists already" in again.text
    short = new_reader(broadsheet).sign_up("carol@example.org", "short")
    assert short.status_code == 400 and "at least 10 characters" in short.text


def test_every_state_changing_request_needs_the_csrf_token(client: TestClient) -> None:
    reader = Reader(client)
    reader.sign_up("ada@example.org")
    for path in ("/signout", "/signup", "/signin", "/reset", "/articles/1/save", "/follow",
                 "/settings/theme", "/admin/picks", "/admin/invitations", "/history/clear",
                 "/sources"):  # fmt: skip
        forged = client.post(path, data={"csrf": "forged", "email": "x@example.org"})
        assert forged.status_code == 403, path
        assert "The form expired" in forged.text
        missing = client.post(path, data={})
        assert missing.status_code == 403, path
    assert "Sign out" in reader.get("/").text  # still signed in: the forged sign-out did nothing


def test_login_attempts_are_limited_per_address(tmp_path: Path, clock: Clock) -> None:
    broadsheet = make_app(tmp_path, clock, login_attempts=3, login_window_seconds=600)
    new_reader(broadsheet).sign_up("ada@example.org")
    reader = new_reader(broadsheet)
    for _ in range(3):
        assert reader.sign_in("ada@example.org", "wrong password!").status_code == 400
    blocked = reader.sign_in("ada@example.org")
    assert blocked.status_code == 429 and "Too many failed attempts" in blocked.text
    clock.advance(seconds=601)
    assert reader.sign_in("ada@example.org").status_code == 303
    unknown = reader.sign_in("nobody@example.org")
    assert unknown.status_code == 400 and "Wrong email address or password" in unknown.text
    broadsheet.close()


def test_failed_sign_ins_count_across_processes(tmp_path: Path, clock: Clock) -> None:
    first = make_app(tmp_path, clock, login_attempts=2, login_window_seconds=600)
    second = make_app(tmp_path, clock, login_attempts=2, login_window_seconds=600)  # same database
    new_reader(first).sign_up("ada@example.org")
    assert new_reader(first).sign_in("ada@example.org", "wrong password!").status_code == 400
    assert new_reader(second).sign_in("ada@example.org", "wrong password!").status_code == 400
    assert new_reader(first).sign_in("ada@example.org").status_code == 429
    clock.advance(seconds=601)
    assert new_reader(second).sign_in("ada@example.org").status_code == 303
    first.close()
    second.close()


def test_closed_and_invitation_only_registration(tmp_path: Path, clock: Clock) -> None:
    broadsheet = make_app(tmp_path, clock, registration="invite")
    admin = new_reader(broadsheet)
    assert admin.sign_up("admin@example.org").status_code == 303  # the first one always may
    refused = new_reader(broadsheet).sign_up("bob@example.org")
    assert refused.status_code == 400 and "invitation" in refused.text
    admin.get("/admin")
    page = admin.post("/admin/invitations", {"role": "editor"})
    link = re.search(r"https://testserver/signup\?invite=([\w-]+)", page.text)
    assert link is not None
    invited = new_reader(broadsheet)
    assert invited.sign_up("bob@example.org", invite=link.group(1)).status_code == 303
    assert broadsheet.store.get_user_by_email("bob@example.org")[0].role == "editor"
    reused = new_reader(broadsheet).sign_up("carol@example.org", invite=link.group(1))
    assert reused.status_code == 400
    broadsheet.close()


def test_password_reset_through_an_admin(broadsheet: Broadsheet) -> None:
    admin = new_reader(broadsheet)
    admin.sign_up("admin@example.org")
    bob = new_reader(broadsheet)
    bob.sign_up("bob@example.org")
    forgetful = new_reader(broadsheet)
    forgetful.get("/reset")
    asked = forgetful.post("/reset", {"email": "bob@example.org"})
    assert "the operator has been asked" in asked.text
    page = admin.get("/admin")
    assert "bob@example.org asked" in page.text
    user_id = broadsheet.store.get_user_by_email("bob@example.org")[0].id
    made = admin.post(f"/admin/resets/{user_id}")
    token = re.search(r"https://testserver/reset/([\w-]+)", made.text)
    assert token is not None
    forgetful.get(f"/reset/{token.group(1)}")
    done = forgetful.post(f"/reset/{token.group(1)}", {"password": "a brand new secret"},
                          follow_redirects=False)  # fmt: skip
    assert done.headers["location"] == "/signin?reset=1"
    assert bob.get("/saved", follow_redirects=False).status_code == 303  # old session ended
    assert forgetful.sign_in("bob@example.org", "a brand new secret").status_code == 303
    spent = forgetful.post(f"/reset/{token.group(1)}", {"password": "another new secret"})
    assert spent.status_code == 400 and "expired or was used" in spent.text


def test_password_reset_by_mail(broadsheet: Broadsheet) -> None:
    mailer = FakeMailer()
    broadsheet.accounts.mailer = mailer
    new_reader(broadsheet).sign_up("ada@example.org")
    reader = new_reader(broadsheet)
    reader.get("/reset")
    assert "on its way" in reader.post("/reset", {"email": "ada@example.org"}).text
    assert "on its way" in reader.post("/reset", {"email": "nobody@example.org"}).text
    [(to, _, body)] = mailer.sent
    token = re.search(r"/reset/([\w-]+)", body)
    assert to == "ada@example.org" and token is not None
    reader.get(f"/reset/{token.group(1)}")
    assert reader.post(f"/reset/{token.group(1)}", {"password": "the new password"},
                       follow_redirects=False).status_code == 303  # fmt: skip


def test_roles_guard_admin_pages(broadsheet: Broadsheet) -> None:
    admin = new_reader(broadsheet)
    admin.sign_up("admin@example.org")
    editor = new_reader(broadsheet)
    editor.sign_up("ed@example.org")
    user_id = broadsheet.store.get_user_by_email("ed@example.org")[0].id
    admin.get("/admin")
    assert admin.post(f"/admin/users/{user_id}/role", {"role": "editor"},
                      follow_redirects=False).status_code == 303  # fmt: skip
    page = editor.get("/admin")
    assert (
        page.status_code == 200 and "Our picks" in page.text and "Users and roles" not in page.text
    )
    assert editor.post(f"/admin/users/{user_id}/role", {"role": "admin"}).status_code == 403
    own = admin.post(f"/admin/users/{broadsheet.store.accounts.list_users()[0].id}/role",
                     {"role": "reader"})  # fmt: skip
    assert own.status_code == 400 and "your own role" in own.text


def test_sign_in_only_redirects_within_the_site(client: TestClient) -> None:
    reader = Reader(client)
    reader.sign_up("ada@example.org")
    reader.post("/signout")
    reader.get("/signin")
    for target, expected in (("/saved", "/saved"), ("//evil.example/", "/"),
                             ("https://evil.example/", "/"), ("/\\evil.example", "/")):  # fmt: skip
        response = reader.post("/signin", {"email": "ada@example.org", "password": PASSWORD,
                                           "next": target}, follow_redirects=False)  # fmt: skip
        assert response.headers["location"] == expected


def test_a_failed_reset_mail_leaves_a_request_for_the_admin(broadsheet: Broadsheet) -> None:
    class BrokenMailer:
        def send(self, to: str, subject: str, body: str) -> None:
            raise OSError("connection refused")

    broadsheet.accounts.mailer = BrokenMailer()
    new_reader(broadsheet).sign_up("ada@example.org")
    reader = new_reader(broadsheet)
    reader.get("/reset")
    reader.post("/reset", {"email": "ada@example.org"})
    assert [r.user.email for r in broadsheet.store.accounts.open_reset_requests()] == [
        "ada@example.org"
    ]


def test_signed_in_pages_are_private_and_bad_registration_is_refused(
    client: TestClient, tmp_path: Path, clock: Clock
) -> None:
    reader = Reader(client)
    assert "private" not in reader.get("/").headers.get("cache-control", "")
    reader.sign_up("ada@example.org")
    assert reader.get("/").headers["cache-control"] == "private, no-cache"
    broadsheet = make_app(tmp_path / "other", clock, registration="sometimes")
    with pytest.raises(ConfigError, match="registration must be one of"):
        broadsheet.accounts  # noqa: B018
    broadsheet.close()
