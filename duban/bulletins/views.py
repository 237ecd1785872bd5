"""The office's bulletins: the list, a new draft for a period and scope, the draft's figures and
paragraphs, its .docx, and issuing it."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.bulletins import access, services
from duban.bulletins.choices import BULLETIN_MOVES, BulletinState
from duban.bulletins.documents import HEADERS, bulletin_docx, recipient_of, summary_paragraphs, table_rows
from duban.bulletins.forms import DraftForm, TextForm
from duban.core.paginator import CappedPaginator
from duban.core.text import download_name
from duban.core.views import form_page, submitted


@login_required
def home(request):
    found = access.bulletins_for(request.user)
    context = {"page": CappedPaginator(found, 30).get_page(request.GET.get("page")),
               "may_write": access.may_write(request.user)}  # fmt: skip
    return render(request, "bulletins/home.html", context)


@login_required
def bulletin_new(request):
    access.require_writer(request.user)
    form = DraftForm(request.POST or None, initial={"day": timezone.localdate()})

    def write(data):
        return services.bulletin_draft(actor=request.user, cadence=data["cadence"], day=data["day"],
                                       scope_unit=data["scope_unit"])  # fmt: skip

    if request.method == "POST":
        done = submitted(request, form, write, _("Draft composed from the data: edit its paragraphs, then issue it."),
                         lambda b: reverse("bulletins:bulletin_detail", args=[b.pk]))  # fmt: skip
        if done is not None:
            return done
    return form_page(request, form, title=_("Compose a bulletin"), back_url=reverse("bulletins:home"))


def _page(request, bulletin, form=None, status=200):
    figures = services.figures_of(bulletin)
    draft = bulletin.state == BulletinState.DRAFT and access.may_write(request.user)
    context = {
        "bulletin": bulletin, "figures": figures, "headers": HEADERS, "rows": table_rows(figures),
        "opening": [p for p in bulletin.opening.splitlines() if p.strip()],
        "summary": summary_paragraphs(bulletin, figures),
        "closing": [p for p in bulletin.closing.splitlines() if p.strip()], "recipient": recipient_of(bulletin),
        "form": form or (TextForm(instance=bulletin) if draft else None),
        "steps": list(BULLETIN_MOVES.available(bulletin.state)) if draft else [],
    }  # fmt: skip
    return render(request, "bulletins/bulletin_detail.html", context, status=status)


@login_required
def bulletin_detail(request, pk: int):
    bulletin = access.get_bulletin_for_user(request.user, pk)
    if request.method != "POST":
        return _page(request, bulletin)
    access.require_writer(request.user)
    form = TextForm(request.POST, instance=bulletin)

    def write(data):
        return services.bulletin_save(actor=request.user, bulletin=bulletin, title=data["title"],
                                      opening=data["opening"], closing=data["closing"])  # fmt: skip

    done = submitted(request, form, write, _("Saved."), reverse("bulletins:bulletin_detail", args=[pk]))
    return done or _page(request, access.get_bulletin_for_user(request.user, pk), form, status=400)


@login_required
def bulletin_download(request, pk: int):
    bulletin = access.get_bulletin_for_user(request.user, pk)
    content = bulletin_docx(bulletin, services.figures_of(bulletin))
    return FileResponse(io.BytesIO(content), as_attachment=True,
                        filename=download_name(f"{bulletin.number or bulletin.title}.docx"))  # fmt: skip


@login_required
@require_POST
def bulletin_step(request, pk: int, code: str):
    bulletin = access.get_bulletin_for_user(request.user, pk)
    if "title" in request.POST and bulletin.state == BulletinState.DRAFT:  # the text as it stands on the page
        form = TextForm(request.POST, instance=bulletin)
        if not form.is_valid():
            return _page(request, bulletin, form, status=400)
        data = form.cleaned_data
        services.bulletin_save(actor=request.user, bulletin=bulletin, title=data["title"], opening=data["opening"],
                               closing=data["closing"])  # fmt: skip
    bulletin = services.bulletin_step(actor=request.user, bulletin=bulletin, code=code)
    messages.success(request, _("Done: %(step)s.") % {"step": BULLETIN_MOVES[code].label})
    return redirect("bulletins:bulletin_detail", pk=bulletin.pk)
