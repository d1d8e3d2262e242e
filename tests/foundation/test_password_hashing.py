"""The service hashes passwords with Argon2 (tests switch to a fast hasher, so read the settings module)."""

import importlib

import pytest


def test_the_service_hashes_passwords_with_argon2():
    service_settings = importlib.import_module("config.settings")
    assert service_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_a_password_set_with_the_service_settings_is_an_argon2_hash(settings):
    from django.contrib.auth.hashers import make_password

    settings.PASSWORD_HASHERS = importlib.import_module("config.settings").PASSWORD_HASHERS
    assert make_password("Synthetic-pass-4821").startswith("argon2$")
