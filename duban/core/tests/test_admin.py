"""Django admin shows domain states but never writes one: states change only through services."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

WITH_STATE = [
    model_admin
    for model_admin in admin.site._registry.values()
    if "state" in {field.name for field in model_admin.model._meta.concrete_fields}
]


def test_the_admins_with_a_state_are_checked():
    assert {a.model.__name__ for a in WITH_STATE} >= {"Unit", "Person", "ReformAdjustment"}


@pytest.mark.parametrize("model_admin", WITH_STATE, ids=lambda a: a.model.__name__)
def test_no_admin_page_can_write_a_domain_state(model_admin, personas):
    request = RequestFactory().get("/")
    request.user = personas.office_admin
    read_only = "state" in model_admin.get_readonly_fields(request) or not model_admin.has_change_permission(request)
    assert read_only
    assert not model_admin.has_add_permission(request)
