from django.urls import path

from duban.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("inbox/", views.inbox, name="inbox"),
    path("notifications/", views.notifications, name="notifications"),
    path("ledgers/", views.ledger_list, name="ledger_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/template.xlsx", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/mapping/", views.import_mapping, name="import_mapping"),
    path("ledgers/<int:pk>/own-layout.xlsx", views.ledger_export_own, name="ledger_export_own"),
    path("imports/<int:pk>/unit-names/", views.import_unit_alias, name="import_unit_alias"),
    path("imports/<int:pk>/items/<slug:action>/", views.import_batch, name="import_batch"),
    path("ledgers/new/", views.ledger_edit, name="ledger_new"),
    path("ledgers/<int:pk>/", views.ledger_edit, name="ledger_edit"),
    path("ledgers/<int:pk>/carry-over/", views.ledger_carry_over, name="carry_over"),
    path("export.xlsx", views.item_export, name="item_export"),
    path("items/<int:pk>/assignment.docx", views.assignment_download, name="assignment_download"),
    path("notices/<int:pk>/document.docx", views.notice_download, name="notice_download"),
    path("queue/", views.queue, name="queue"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/act/<str:action>/", views.item_act, name="item_act"),
    path("items/<int:pk>/progress/", views.item_progress, name="item_progress"),
    path("items/<int:pk>/extension/", views.item_extension, name="item_extension"),
    path("items/<int:pk>/notices/", views.notice_issue, name="notice_issue"),
    path("items/<int:pk>/instructions/", views.instruction_add, name="instruction_add"),
    path("items/<int:pk>/co-units/<int:unit_pk>/acknowledge/", views.co_unit_acknowledge, name="co_unit_acknowledge"),
    path("items/<int:pk>/co-units/<int:unit_pk>/report/", views.co_unit_report, name="co_unit_report"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("notices/<int:pk>/answer/", views.notice_answer, name="notice_answer"),
    path("notices/<int:pk>/interview/", views.interview_add, name="interview_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
