"""Public rules and policy documents on the portal: the ones in force that their units made
public, searchable in Chinese, and the receipt (签收) an enterprise confirms from its link."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from duban.core.forms import add_service_errors
from duban.core.paginator import searched_page
from duban.rules.models import OutreachEnterprise, Rule
from duban.rules.publicity import reach_of, receipt_confirm


def policies(request):
    query = (request.GET.get("q") or "")[:100]
    rules = Rule.objects.public_in_force().select_related("issuing_unit").defer("text", "search_tokens")
    rules, walk = rules.listed(query, ("-effective_on", "-pk"), exact=("document_number", "title"))
    page = searched_page(rules, 20, query, walk, request.GET.get("page"))
    return render(request, "portal/policies.html", {"page": page, "q": query})


def policy_detail(request, pk: int):
    rule = get_object_or_404(Rule.objects.public_in_force().select_related("issuing_unit"), pk=pk)
    context = {"rule": rule, "versions": rule.versions.order_by("-number"), "reach": reach_of([rule])}
    return render(request, "portal/policy_detail.html", context)


class ReceiptForm(forms.Form):
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, min_length=18)
    confirmed_by = forms.CharField(label=_("Your name"), max_length=60)


def policy_receipt(request, token: str):
    reached = get_object_or_404(
        OutreachEnterprise.objects.select_related("outreach__rule", "enterprise"), token=token[:40]
    )
    form = ReceiptForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reached = receipt_confirm(token=reached.token, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
        status = 200 if not form.errors else 400
    context = {"reached": reached, "rule": reached.outreach.rule, "form": form}
    return render(request, "portal/policy_receipt.html", context, status=status)
