"""What the reforms came to: the summary over a span of years, the case library and the annual
appraisal (年度改革考评)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from duban.core.exports import xlsx_response
from duban.core.forms import add_service_errors
from duban.core.official import official_docx
from duban.core.paginator import CappedPaginator
from duban.core.views import form_page, year_or_404
from duban.reforms import access, appraisal, services
from duban.reforms import summary as figures
from duban.reforms.forms import BonusForm, CaseForm
from duban.reforms.models import Case


@login_required
def summary(request):
    """The reform office's summary over a span of years (2014–2018 by default, the seed's five years)."""
    access.require_reader(request.user)
    try:
        first = int(request.GET.get("from", 2014))
        last = int(request.GET.get("to", 2018))
    except ValueError:
        first, last = 2014, 2018
    if not 2000 <= first <= last <= first + 20:
        first, last = 2014, 2018
    context = {"first": first, "last": last, **figures.summary(first, last)}
    return render(request, "reforms/summary.html", context)


@login_required
def case_list(request):
    access.require_reader(request.user)
    cases = Case.objects.select_related("reform")
    context = {
        "page": CappedPaginator(cases, 50).get_page(request.GET.get("page")),
        "can_manage": access.can_manage_reforms(request.user),
    }
    return render(request, "reforms/case_list.html", context)


@login_required
def case_edit(request, pk: int | None = None):
    access.require_manager(request.user)
    case = get_object_or_404(Case, pk=pk) if pk else None
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        publish = data.pop("publish")
        try:
            services.case_save(actor=request.user, case=case, publish=publish, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("reforms:case_list")
    return form_page(
        request, form, title=case.title if case else _("Write up a case"), back_url=reverse("reforms:case_list")
    )


@login_required
def appraisal_detail(request, year: int):
    """年度改革考评: streets and departments scored and ranked apart; bonuses recorded here;
    downloads as .xlsx and .docx."""
    access.require_reader(request.user)
    record = appraisal.appraisal_of(year_or_404(year))
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return xlsx_response(
            f"{year}年度改革考评.xlsx", "改革考评", appraisal.APPRAISAL_HEADERS, appraisal.export_rows(record)
        )
    if fmt == "docx":
        lines = [
            f"{'街道' if r[0] == '街道' else '部门'}第{r[1]}名：{r[2]}，总分{appraisal.points(r[7])}，等次{r[8]}。"
            for r in appraisal.export_rows(record)
        ]
        content = official_docx(
            title=f"罗湖区{year}年度改革考评结果",
            number="",
            recipient="各街道、区直各单位",
            paragraphs=[f"根据{year}年度改革考评办法，考评结果如下（街道、部门分别排名）：", *lines],
            issuer="中共深圳市罗湖区委全面深化改革委员会办公室",
            date=timezone.localdate(),
        )
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        response["Content-Disposition"] = content_disposition_header(True, f"{year}年度改革考评.docx")
        return response
    form = BonusForm(request.POST or None, units=appraisal.appraised_units())
    if request.method == "POST":
        access.require_manager(request.user)
        if form.is_valid():
            try:
                appraisal.bonus_add(actor=request.user, appraisal=record, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Bonus recorded."))
                return redirect("reforms:appraisal_detail", year=year)
    context = {
        "year": year,
        "appraisal": record,
        "rows": appraisal.rows(record),
        "form": form,
        "can_manage": access.can_manage_reforms(request.user),
    }
    return render(request, "reforms/appraisal_detail.html", context, status=400 if form.errors else 200)
