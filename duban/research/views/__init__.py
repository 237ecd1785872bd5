"""Commissioned research's pages: calls, projects, panels, results (one module each)."""

from duban.research.views.calls import call_decide, call_detail, call_new, call_step, topic_new
from duban.research.views.panels import panel_detail, panel_publish, panel_score
from duban.research.views.projects import (
    bid_file,
    home,
    instalment_pay,
    milestone_deliver,
    project_act,
    project_detail,
    project_list,
)
from duban.research.views.results import money_page, result_act, result_detail, result_file, results

__all__ = [
    "bid_file",
    "call_decide",
    "call_detail",
    "call_new",
    "call_step",
    "home",
    "instalment_pay",
    "milestone_deliver",
    "money_page",
    "panel_detail",
    "panel_publish",
    "panel_score",
    "project_act",
    "project_detail",
    "project_list",
    "result_act",
    "result_detail",
    "result_file",
    "results",
    "topic_new",
]
