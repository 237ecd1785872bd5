import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from duban.core.env import env_bool, env_int, env_list, env_secret


def test_env_bool_accepts_the_usual_spellings_and_refuses_the_rest(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


def test_env_int_names_the_variable_and_the_bound(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUM must be a whole number"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("X_NUM", 5, minimum=1)
    monkeypatch.setenv("X_NUM", " 12 ")
    assert env_int("X_NUM", 5, minimum=1) == 12


def test_env_list_and_secret_file(monkeypatch, tmp_path):
    monkeypatch.setenv("X_HOSTS", "a.example, b.example,,")
    assert env_list("X_HOSTS") == ["a.example", "b.example"]
    secret = tmp_path / "key"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("X_KEY_FILE", str(secret))
    assert env_secret("X_KEY") == "s3cret"
    monkeypatch.setenv("X_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="X_KEY_FILE"):
        env_secret("X_KEY")


def _start(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DUBAN_DEMO", "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="duban.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_with_the_demo_secret():
    from duban.settings import DEMO_SECRET_KEY

    result = _start(SECRET_KEY=DEMO_SECRET_KEY, ALLOWED_HOSTS="duban.example.org")
    assert result.returncode != 0
    assert "Refusing to start in production with the demo SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_secret_and_with_a_bad_flag():
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set" in _start().stderr
    result = _start(DUBAN_DEMO="perhaps")
    assert result.returncode != 0
    assert "DUBAN_DEMO must be one of" in result.stderr


def test_production_starts_with_a_real_secret():
    result = _start(SECRET_KEY="k" * 60, ALLOWED_HOSTS="duban.example.org")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("command", "variable", "value", "expected"),
    [
        (["demo"], "DUBAN_DEMO_OPEN311_KEY", "short", "DUBAN_DEMO_OPEN311_KEY must have at least 16 characters"),
        (["check"], "DEBUG", "maybe", "DEBUG must be one of 1/0"),
        (["serve"], "DUBAN_WORKERS", "two", "DUBAN_WORKERS must be a whole number"),
    ],
)
def test_a_bad_environment_value_stops_the_command_with_one_line_before_anything_is_written(
    tmp_path, command, variable, value, expected
):
    database = tmp_path / "demo.sqlite3"
    env = {**os.environ, "DUBAN_DEMO": "1", "DATABASE_URL": f"sqlite:///{database}", variable: value}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(  # noqa: S603 - the test's own interpreter and arguments
        [sys.executable, "-m", "duban.cli", *command], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [done.stderr.strip()] and expected in done.stderr
    assert "Traceback" not in done.stderr
    assert not database.exists()
