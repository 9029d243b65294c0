"""Every page and every API operation × every persona, with the outcome each must get.

The routes come from the URL conf and the OpenAPI schema, so a new view or operation without a
row in MATRIX (or API_MATRIX) fails `test_every_route_has_a_row`. To add a route: add its row,
one outcome per persona in the PERSONAS order:

    200, 302, 400, 403, 404, 422 … the status code;  login: a redirect to the login page;
    401: the API's answer without a valid token.

Columns: wang (office), zhao / sun (market / health liaisons), li / zhou (reviewers), ovs
(oversight_ma: reads batches and visits, changes nothing, no department), zhang / qian (inspectors
not on the visit), tm_mk / tm_hl (the visit's market / health inspectors), firm (the visit's firm,
signed in to its account), anon.
A 302 after a POST is the form's redirect (done, or refused with a message); the services'
own tests assert which. Rows whose empty form would stop at a form error post a valid one
(PAGE_BODIES), so they show the permission.

The ids are real rows of the market department (SCJGJ) from the `world` fixture (conftest.py); the health
department's personas (sun, zhou, qian, team_health) must get 404 for what is not theirs, the
same answer as for a missing row. Each request runs in a transaction that is rolled back, so a
permitted write does not change what the next persona sees."""

import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from spotcheck.accounts.tokens import api_token_create
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from tests.security.samples import PDF, PNG

PERSONAS = (
    "office_admin_wang",  # coordinating office (市场监管局), sees every department
    "liaison_zhao",  # market department's liaison (联络员)
    "liaison_sun",  # health department's liaison
    "reviewer_li",  # market reviewer
    "reviewer_zhou",  # health reviewer
    "oversight_ma",  # 监督人员 (discipline inspection, judiciary): reads every batch, changes nothing
    "inspector_zhang",  # market inspector, not on the visit
    "inspector_qian",  # health inspector, not on the visit
    "team_market",  # market inspector on the visit
    "team_health",  # health inspector on the visit
    "firm",  # the visit's firm signed in to its account (企业用户): its own page, nothing internal
    "anonymous",
)

# Keywords that mean different rows on different routes: route (or namespace) → keyword → the
# world's name for it. A firm's page takes the visit's access code, the portal's entity page the
# entity's credit code.
KWARG_SOURCES = {
    "firms:": {"code": "access_code"},
    "public:entity": {"code": "entity_code"},
    "stats:report_download": {"fmt": "report_fmt"},
    "common:": {"job_id": "export_job_id"},
}

# Routes the matrix does not walk, each with the reason.
NOT_IN_MATRIX = {
    "admin:": "Django's admin: staff only (is_staff), one row below for its index",
    "api:": "the API: walked operation by operation from the OpenAPI schema (API_MATRIX)",
}

# fmt: off
MATRIX = {
    #                                             wang  zhao  sun   li    zhou  ovs   zhang qian  tm_mk tm_hl firm  anon
    "GET accounts:department_settings":           "200   403   403   403   403   403   403   403   403   403   403   login",
    "GET accounts:login":                         "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET accounts:otp":                           "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET accounts:token_list":                    "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET admin:index":                            "302   302   302   302   302   302   302   302   302   302   403   302",
    "GET audit:head_list":                        "200   403   403   403   403   403   403   403   403   403   403   403",
    "GET checks:request_create":                  "200   200   200   200   200   403   200   200   200   200   403   login",
    "GET checks:request_list":                    "200   200   200   200   200   403   200   200   200   200   403   login",
    "GET checks:warning_list":                    "200   403   403   403   403   403   403   403   403   403   403   login",
    "GET common:export_job":                      "404   200   404   404   404   404   404   404   404   404   403   login",
    "GET common:export_job_download":             "404   404   404   404   404   404   404   404   404   404   403   login",
    "GET credit:entity_credit":                   "200   200   404   200   404   403   403   403   403   403   403   login",
    "GET credit:run_list":                        "200   403   403   403   403   403   403   403   403   403   403   login",
    "GET directory:entity_create":                "200   403   403   403   403   403   403   403   403   403   403   login",
    "GET directory:entity_detail":                "200   200   404   200   404   404   200   404   200   404   403   login",
    "GET directory:entity_edit":                  "200   200   404   403   403   403   403   403   403   403   403   login",
    "GET directory:entity_list":                  "200   200   200   200   200   403   200   200   200   200   403   login",
    "GET directory:entity_record_edit":           "200   200   404   403   403   403   403   403   403   403   403   login",
    "GET directory:inspector_create":             "200   200   200   403   403   403   403   403   403   403   403   login",
    "GET directory:inspector_detail":             "200   200   404   200   404   404   200   404   200   404   403   login",
    "GET directory:inspector_edit":               "200   200   404   403   403   403   403   403   403   403   403   login",
    "GET directory:inspector_list":               "200   200   200   200   200   403   200   200   200   200   403   login",
    "GET draws:batch_detail":                     "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET draws:batch_full_kit":                   "200   403   403   403   403   200   403   403   403   403   403   login",
    "GET draws:batch_list":                       "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET draws:batch_status":                     "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET draws:notice_archive":                   "404   200   404   404   404   404   404   404   404   404   403   login",
    "GET draws:notice_archive_download":          "404   404   404   404   404   404   404   404   404   404   403   login",
    "GET draws:visit_detail":                     "200   200   200   200   200   200   404   404   200   200   403   login",
    # the sending department's GET before the first print goes to the first-print button (no PIN)
    "GET draws:visit_notice":                     "302   302   200   200   200   200   404   404   200   200   403   login",
    "GET firms:account":                          "403   403   403   403   403   403   403   403   403   403   200   login",
    "GET firms:account_register":                 "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET firms:code_entry":                       "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET firms:credit_repairs":                   "200   200   200   403   403   403   403   403   403   403   403   login",
    "GET firms:firm":                             "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET firms:pin_reissue":                      "200   200   403   403   403   403   404   404   403   403   403   login",
    "GET firms:ratings":                          "200   200   200   200   200   403   403   403   403   403   403   login",
    "GET firms:recusal_requests":                 "200   200   200   403   403   403   403   403   403   403   403   login",
    "GET firms:unscanned":                        "200   200   200   200   200   403   403   403   403   403   403   login",
    "GET firms:visit":                            "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET healthz":                                "200   200   200   200   200   200   200   200   200   200   403   200",
    "GET home":                                   "200   200   200   200   200   200   200   200   200   200   302   302",
    "GET imports:job_detail":                     "200   200   404   403   403   403   403   403   403   403   403   login",
    "GET imports:job_list":                       "200   200   200   403   403   403   403   403   403   403   403   login",
    "GET imports:job_progress":                   "200   200   404   403   403   403   403   403   403   403   403   login",
    "GET imports:job_report":                     "404   404   404   403   403   403   403   403   403   403   403   login",
    "GET inspections:abnormal_proposal_list":     "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET inspections:entity_file":                "200   200   404   200   404   404   200   404   200   404   403   login",
    "GET inspections:evidence_download":          "200   200   404   200   404   404   404   404   200   404   403   login",
    "GET inspections:follow_up_detail":           "200   200   404   200   404   404   200   404   200   404   403   login",
    "GET inspections:follow_up_document":         "200   200   404   200   404   404   200   404   200   404   403   login",
    "GET inspections:follow_up_list":             "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET inspections:lead_create":                "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET inspections:lead_detail":                "200   200   404   200   404   404   200   404   200   404   403   login",
    "GET inspections:lead_list":                  "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET inspections:merge_detail":               "200   200   404   200   404   200   404   404   404   404   403   login",
    "GET inspections:merge_list":                 "200   200   200   200   200   200   403   403   403   403   403   login",
    "GET inspections:my_work":                    "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET inspections:overdue_list":               "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET inspections:result":                     "200   200   404   200   404   404   404   404   200   404   403   login",
    "GET inspections:review_queue":               "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET inspections:visit":                      "200   200   200   200   200   200   404   404   200   200   403   login",
    "GET items:item_create":                      "200   200   200   403   403   403   403   403   403   403   403   login",
    "GET items:item_detail":                      "200   200   404   200   404   404   200   404   200   404   403   login",
    "GET items:item_edit":                        "200   200   404   403   403   403   403   403   403   403   403   login",
    "GET items:item_list":                        "200   200   200   200   200   403   200   200   200   200   403   login",
    "GET plans:joint_check_detail":               "200   200   200   200   200   404   200   200   200   200   403   login",
    "GET plans:joint_check_list":                 "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET plans:plan_detail":                      "200   200   404   200   404   404   200   404   200   404   403   login",
    "GET plans:plan_list":                        "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET plans:task_create":                      "200   200   200   403   403   403   403   403   403   403   403   login",
    "GET plans:task_detail":                      "200   200   404   200   404   404   200   404   200   404   403   login",
    "GET plans:task_edit":                        "200   200   404   403   404   404   403   404   403   404   403   login",
    "GET plans:task_list":                        "200   200   200   200   200   200   200   200   200   200   403   login",
    "GET public:announcement_detail":             "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:announcements":                   "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:audit_heads":                     "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:department_index":                "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:draw_detail":                     "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:draw_kit":                        "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:draw_proof":                      "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:draws":                           "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:entity":                          "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:item_list":                       "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:joint_items":                     "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:plans":                           "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:result_detail":                   "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET public:results":                         "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET publication:calendar":                   "200   403   403   403   403   403   403   403   403   403   403   login",
    "GET publication:deadlines":                  "200   200   200   200   200   403   403   403   403   403   403   login",
    "GET publication:exemptions":                 "200   200   200   200   200   403   403   403   403   403   403   login",
    "GET publication:national_exports":           "200   200   200   200   200   403   403   403   403   403   403   login",
    "GET publication:task_detail":                "200   200   404   200   404   404   403   404   403   404   403   login",
    "GET readyz":                                 "200   200   200   200   200   200   200   200   200   200   403   200",
    "GET set_language":                           "302   302   302   302   302   302   302   302   302   302   302   302",
    "GET stats:assessment_detail":                "200   200   404   200   404   200   403   403   403   403   403   login",
    "GET stats:assessment_evidence_download":     "200   200   404   200   404   200   403   403   403   403   403   login",
    "GET stats:assessment_index":                 "200   200   200   200   200   200   403   403   403   403   403   login",
    "GET stats:dashboard":                        "200   200   200   200   200   200   403   403   403   403   403   login",
    "GET stats:joint_report":                     "200   200   404   200   404   403   403   403   403   403   403   login",
    "GET stats:joint_report_download":            "200   200   404   200   404   403   403   403   403   403   403   login",
    "GET stats:joint_reports":                    "200   200   200   200   200   403   403   403   403   403   403   login",
    "GET stats:records":                          "200   200   200   200   200   200   403   403   403   403   403   login",
    "GET stats:report_download":                  "200   200   404   200   404   200   403   403   403   403   403   login",
    "GET stats:reports":                          "200   200   200   200   200   200   403   403   403   403   403   login",
    "GET stats:timetable":                        "200   403   403   403   403   403   403   403   403   403   403   login",
    "POST accounts:logout":                       "login login login login login login login login login login login login",
    "POST accounts:token_revoke":                 "302   302   404   404   404   404   404   404   404   404   403   login",
    "POST audit:head_publish":                    "302   403   403   403   403   403   403   403   403   403   403   403",
    "POST checks:request_decide":                 "403   302   404   302   404   404   404   404   404   404   403   login",
    "POST checks:tolerance_cite":                 "403   400   404   400   404   404   404   404   403   404   403   login",
    "POST credit:override_clear":                 "400   400   404   400   404   403   403   403   403   403   403   login",
    "POST credit:override_set":                   "302   302   404   302   404   403   403   403   403   403   403   login",
    "POST credit:recompute":                      "302   403   403   403   403   403   403   403   403   403   403   login",
    "POST draws:batch_commit":                    "302   302   403   302   403   403   403   403   403   403   403   login",
    "POST draws:batch_draw":                      "302   302   403   302   403   403   403   403   403   403   403   login",
    "POST common:export_job_create":              "302   302   302   302   302   403   403   403   403   403   403   login",
    "POST draws:batch_notices":                   "302   302   302   302   302   302   403   403   403   403   403   login",
    "POST draws:visit_notice_first_print":        "200   200   403   403   403   403   404   404   403   403   403   login",
    "POST draws:batch_redraw":                    "302   302   403   302   403   403   403   403   403   403   403   login",
    "POST draws:batch_resume_draw":               "302   302   403   302   403   403   403   403   403   403   403   login",
    "POST draws:recuse":                          "302   302   403   403   403   403   404   404   302   403   403   login",
    "POST firms:account_credit_repair":           "403   403   403   403   403   403   403   403   403   403   302   login",
    "POST firms:account_rate":                    "403   403   403   403   403   403   403   403   403   403   302   login",
    "POST firms:account_recusal":                 "403   403   403   403   403   403   403   403   403   403   302   login",
    "POST firms:account_register":                "400   400   400   400   400   400   400   400   400   400   400   400",
    "POST firms:credit_repair":                   "302   302   302   302   302   302   302   302   302   302   302   302",
    "POST firms:credit_repair_decide":            "302   302   404   404   404   404   404   404   404   404   403   login",
    "POST firms:pin_reissue":                     "200   200   403   403   403   403   404   404   403   403   403   login",
    "POST firms:rate":                            "302   302   302   302   302   302   302   302   302   302   302   302",
    "POST firms:recusal_request":                 "302   302   302   302   302   302   302   302   302   302   302   302",
    "POST firms:recusal_request_decide":          "302   302   404   404   404   404   404   404   404   404   403   login",
    "POST imports:job_confirm":                   "302   302   404   403   403   403   403   403   403   403   403   login",
    "POST inspections:abnormal_listing_remove":   "302   302   403   302   403   404   403   403   403   403   403   login",
    "POST inspections:abnormal_proposal_decide":  "302   302   403   302   403   404   403   403   403   403   403   login",
    "POST inspections:amendment_propose":         "302   302   404   302   404   404   404   404   302   404   403   login",
    "POST inspections:amendment_review":          "302   302   404   302   404   404   404   404   302   404   403   login",
    "POST inspections:evidence_add":              "302   302   404   302   404   404   404   404   302   404   403   login",
    "POST inspections:follow_up_close":           "400   400   404   400   404   404   400   404   400   404   403   login",
    "POST inspections:follow_up_document_add":    "400   400   404   400   404   404   400   404   400   404   403   login",
    "POST inspections:follow_up_set_kind":        "400   400   404   400   404   404   400   404   400   404   403   login",
    "POST inspections:lead_act":                  "400   400   404   400   404   404   400   404   400   404   403   login",
    "POST inspections:lead_group":                "400   400   400   400   400   400   400   400   400   400   403   login",
    "POST inspections:merge_answer":              "403   302   404   403   404   403   404   404   404   404   403   login",
    "POST inspections:merge_detect":              "302   403   403   403   403   403   403   403   403   403   403   login",
    "POST inspections:result_review":             "302   302   404   302   404   404   404   404   302   404   403   login",
    "POST inspections:visit_arrive":              "403   403   403   403   403   403   404   404   302   302   403   login",
    "POST inspections:visit_close":               "302   302   403   403   403   403   404   404   403   403   403   login",
    "POST inspections:visit_complete":            "403   403   403   403   403   403   404   404   302   302   403   login",
    "POST inspections:visit_not_possible":        "302   302   302   302   302   302   404   404   302   302   403   login",
    "POST plans:joint_check_action":              "302   302   403   302   403   404   302   403   302   403   403   login",
    "POST plans:plan_revise":                     "302   302   404   403   404   404   403   404   403   404   403   login",
    "POST plans:plan_transition":                 "302   302   404   403   404   404   403   404   403   404   403   login",
    "POST plans:task_preview":                    "200   200   200   403   403   403   403   403   403   403   403   login",
    "POST plans:task_preview_for":                "200   200   404   403   404   404   403   404   403   404   403   login",
    "POST publication:announcement_publish":      "403   302   404   302   404   404   403   404   403   404   403   login",
    "POST publication:exemption_decide":          "302   403   404   403   404   404   403   404   403   404   403   login",
    "POST publication:exemption_request":         "403   302   404   302   404   404   403   404   403   404   403   login",
    "POST publication:task_publish":              "403   302   404   302   404   404   403   404   403   404   403   login",
    "POST stats:assessment_compute":              "302   403   403   403   403   403   403   403   403   403   403   login",
    "POST stats:assessment_evidence":             "302   302   404   302   404   403   403   403   403   403   403   login",
    "POST stats:assessment_score":                "302   403   404   403   404   403   403   403   403   403   403   login",
    "POST stats:joint_report_edit":               "403   302   404   302   404   403   403   403   403   403   403   login",
    "POST stats:joint_report_open":               "403   302   302   302   302   403   403   403   403   403   403   login",
    "POST stats:joint_report_refresh":            "403   302   404   302   404   403   403   403   403   403   403   login",
    "POST stats:joint_report_revise":             "403   302   404   302   404   403   403   403   403   403   403   login",
    "POST stats:joint_report_sign":               "403   302   404   302   404   403   403   403   403   403   403   login",
    "POST stats:report_request":                  "302   302   302   302   302   403   403   403   403   403   403   login",
}

API_MATRIX = {
    #                                                         wang  zhao  sun   li    zhou  ovs   zhang qian  tm_mk tm_hl firm  anon
    "GET /api/entities":                                      "200   200   200   200   200   200   200   200   200   200   401   401",
    "GET /api/entities/{key}":                                "200   200   404   200   404   404   200   404   200   404   401   401",
    "GET /api/inspectors":                                    "200   200   200   200   200   200   200   200   200   200   401   401",
    "GET /api/inspectors/{inspector_id}":                     "200   200   404   200   404   404   200   404   200   404   401   401",
    "GET /api/inspectors/{inspector_id}/conflicts":           "200   200   404   200   404   404   200   404   200   404   401   401",
    "GET /api/items":                                         "200   200   200   200   200   200   200   200   200   200   401   401",
    "GET /api/items/{item_id}":                               "200   200   404   200   404   404   200   404   200   404   401   401",
    "GET /api/joint-items":                                   "200   200   200   200   200   200   200   200   200   200   401   401",
    "GET /api/plans":                                         "200   200   200   200   200   200   200   200   200   200   401   401",
    "GET /api/plans/{plan_id}":                               "200   200   404   200   404   404   200   404   200   404   401   401",
    "POST /api/plans":                                        "201   201   201   403   403   403   403   403   403   403   401   401",
    "POST /api/plans/{plan_id}/move":                         "200   200   404   403   404   404   403   404   403   404   401   401",
    "GET /api/tasks":                                         "200   200   200   200   200   200   200   200   200   200   401   401",
    "POST /api/tasks":                                        "201   201   422   403   403   403   403   403   403   403   401   401",
    "GET /api/tasks/{task_id}":                               "200   200   404   200   404   404   200   404   200   404   401   401",
    "GET /api/joint-checks":                                  "200   200   200   200   200   200   200   200   200   200   401   401",
    "GET /api/joint-checks/{joint_id}":                       "200   200   200   200   200   404   200   200   200   200   401   401",
    "POST /api/joint-checks":                                 "201   201   422   403   422   403   403   422   403   422   401   401",
    "POST /api/joint-checks/{joint_id}/move":                 "422   422   403   422   403   404   422   403   422   403   401   401",
    "GET /api/batches":                                       "200   200   200   200   200   200   200   200   200   200   401   401",
    "POST /api/batches":                                      "422   422   422   422   422   422   422   422   422   422   401   401",
    "GET /api/batches/{batch_id}/kit":                        "200   200   200   200   200   200   200   200   200   200   401   401",
    "GET /api/batches/{batch_id}":                            "200   200   200   200   200   200   200   200   200   200   401   401",
    "POST /api/batches/{batch_id}/commit":                    "422   422   403   422   403   403   403   403   403   403   401   401",
    "POST /api/batches/{batch_id}/draw":                      "422   422   403   422   403   403   403   403   403   403   401   401",
    "GET /api/batches/{batch_id}/visits":                     "200   200   200   200   200   200   200   200   200   200   401   401",
    "GET /api/inspections/visits":                            "200   200   200   200   200   200   200   200   200   200   401   401",
    "GET /api/inspections/visits/{visit_pk}":                 "200   200   200   200   200   200   404   404   200   200   401   401",
    "POST /api/inspections/visits/{visit_pk}/arrive":         "403   403   403   403   403   403   404   404   422   422   401   401",
    "POST /api/inspections/visits/{visit_pk}/complete":       "403   403   403   403   403   403   404   404   422   422   401   401",
    "POST /api/inspections/results/{result_pk}":              "403   422   404   403   404   404   404   404   422   404   401   401",
    "POST /api/inspections/results/{result_pk}/submit":       "403   422   404   403   404   404   404   404   422   404   401   401",
    "POST /api/inspections/results/{result_pk}/review":       "403   403   404   422   404   404   404   404   422   404   401   401",
    "POST /api/inspections/results/{result_pk}/evidence":     "403   422   404   403   404   404   404   404   422   404   401   401",
    "GET /api/inspections/follow-ups":                        "200   200   200   200   200   200   200   200   200   200   401   401",
    "GET /api/inspections/follow-ups/{follow_up_pk}":         "200   200   404   200   404   404   200   404   200   404   401   401",
    "POST /api/inspections/follow-ups/{follow_up_pk}/kind":   "200   200   404   200   404   404   200   404   200   404   401   401",
    "POST /api/inspections/follow-ups/{follow_up_pk}/close":  "422   422   404   422   404   404   422   404   422   404   401   401",
    "GET /api/leads":                                         "200   200   200   200   200   200   200   200   200   200   401   401",
    "POST /api/leads":                                        "201   201   404   201   404   404   201   404   201   404   401   401",
    "GET /api/leads/{lead_pk}":                               "200   200   404   200   404   404   200   404   200   404   401   401",
    "GET /api/public/items":                                  "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET /api/public/plans":                                  "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET /api/public/draws":                                  "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET /api/public/draws/{number}":                         "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET /api/public/draws/{number}/selection":               "200   200   200   200   200   200   200   200   200   200   200   200",
    "GET /api/public/results":                                "200   200   200   200   200   200   200   200   200   200   200   200",
    "PATCH /api/entities/{key}":                              "200   200   404   403   404   404   403   404   403   404   401   401",
    "POST /api/publication/national-exports":                 "201   201   403   201   403   403   403   403   403   403   401   401",
    "PUT /api/entities/{key}/department-record":              "200   200   404   403   404   404   403   404   403   404   401   401",
}
# fmt: on

# A valid body for each writing operation, so the request reaches the scoping, not the schema.
API_BODIES = {
    "POST /api/tasks": {
        "name": "矩阵任务",
        "item_version_ids": ["{item_version_id}"],
        "design_mode": "poisson",
        "design_values": {"A": "0.1"},
        "planned_start": "2026-12-01",
        "planned_end": "2026-12-31",
    },
    "POST /api/batches": {
        "name": "矩阵批次",
        "task_ids": [1],
        "randomness_source": "骰子",
        "randomness_due": "2026-12-30T10:00:00+08:00",
    },
    "POST /api/batches/{batch_id}/draw": {"randomness": "31415926"},
    "POST /api/inspections/results/{result_pk}": {"categories": ["no_problem"]},
    "POST /api/inspections/results/{result_pk}/review": {"decision": "approve"},
    "POST /api/inspections/follow-ups/{follow_up_pk}/kind": {"kind": "case"},
    "POST /api/inspections/follow-ups/{follow_up_pk}/close": {"closing_result": "已整改到位"},
    "POST /api/inspections/results/{result_pk}/evidence": {"file": PNG},
    "POST /api/plans": {"year": 2027, "name": "矩阵计划"},
    "POST /api/plans/{plan_id}/move": {"action": "submit"},
    "POST /api/joint-checks": {
        "name": "矩阵联合检查",
        "partners": ["WJW"],
        "planned_start": "2027-03-01",
        "planned_end": "2027-03-31",
    },
    "POST /api/joint-checks/{joint_id}/move": {"action": "submit"},
    "POST /api/leads": {"entity_key": "{key}", "source": "complaint", "description": "投诉"},
    "POST /api/publication/national-exports": {
        "department": "{department_code}",
        "start": "2026-01-01",
        "end": "2026-12-31",
    },
    "PATCH /api/entities/{key}": {"name": "矩阵商店"},
    "PUT /api/entities/{key}/department-record": {"tags": ["重点"], "notes": "矩阵备注"},
}


# A valid form for page rows whose empty form would only show a form error, so the request
# reaches the permission check (a 302 is then the service's own refusal message, or done).
PAGE_BODIES = {
    "POST common:export_job_create": {"kind": "entities", "fmt": "csv", "query": ""},
    "POST inspections:merge_answer": {"decision": "accept"},
    "POST stats:joint_report_open": {"kind": "result", "joint": "{joint_id}"},
    "POST stats:joint_report_edit": {"body": "矩阵正文"},
    "POST stats:joint_report_revise": {"reason": "矩阵修订"},
    "POST draws:batch_draw": {"randomness": "31415926", "witnesses": "公证员"},
    "POST draws:batch_redraw": {
        "reason": "随机数来源失效",
        "randomness_source": "骰子",
        "randomness_due": "2026-12-30 10:00",
    },
    "POST draws:recuse": {"reason": "曾有业务往来"},
    "POST inspections:abnormal_proposal_decide": {"accept": "1"},
    "POST publication:exemption_request": {"visit": "{visit_pk}", "legal_ground": "涉及国家秘密"},
    "POST credit:override_set": {"credit_class": "C", "reason": "司法判决"},
    "POST stats:assessment_compute": {"year": 2026, "department": "{department_pk}"},
    "POST stats:assessment_score": {"score": "1", "note": "矩阵评分"},
    "POST stats:assessment_evidence": {"file": PDF},
    # the market department: the health department's people get the form's refusal (302)
    "POST stats:report_request": {"year": 2026, "department": "{department_pk}"},
}


def page_routes() -> dict[str, tuple[str, ...]]:
    """URL name → its keyword names, for every named page route outside NOT_IN_MATRIX."""
    routes: dict[str, tuple[str, ...]] = {}

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}{entry.name}"
                if not any(name.startswith(skip) for skip in NOT_IN_MATRIX):
                    routes[name] = tuple(getattr(entry.pattern, "converters", {}))

    walk(get_resolver().url_patterns, "")
    routes["admin:index"] = ()
    return routes


def api_operations(client) -> dict[str, list[str]]:
    """ "METHOD /api/path" → its path parameters, from the OpenAPI schema."""
    paths = client.get("/api/openapi.json").json()["paths"]
    return {
        f"{method.upper()} {path}": [
            p["name"] for p in operation.get("parameters", []) if p["in"] == "path"
        ]
        for path, operations in paths.items()
        for method, operation in operations.items()
    }


def _outcome(response) -> str:
    if response.status_code in (301, 302) and response["Location"].startswith(
        reverse(settings.LOGIN_URL)
    ):
        return "login"
    return str(response.status_code)


def _clients(world, *, tokens: bool) -> dict[str, Client]:
    clients = {}
    for name, user in world.personas.items():
        if user is None:
            clients[name] = Client()
        elif tokens:
            token = api_token_create(user=user, label="matrix")
            clients[name] = Client(headers={"Authorization": f"Bearer {token}"})
        else:
            clients[name] = Client()
            clients[name].force_login(user)
    return clients


def _request(client, method, url, body=None):
    """The request's outcome, its writes rolled back."""
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif body and "file" in body:  # an upload: multipart, as a client sends it
            response = client.post(url, {"file": io.BytesIO(body["file"])})
        else:
            send = getattr(client, method.lower())
            response = send(url, body or {}, content_type="application/json")
        transaction.set_rollback(True)
    return _outcome(response)


def _observe_pages(world, rows) -> dict[str, str]:
    clients = _clients(world, tokens=False)
    observed = {}
    for row in rows:
        method, name = row.split(" ", 1)
        keywords = page_routes()[name]
        sources = next((v for k, v in KWARG_SOURCES.items() if name.startswith(k)), {})
        url = reverse(name, kwargs={k: world.kwargs[sources.get(k, k)] for k in keywords})
        body = _with_ids(PAGE_BODIES.get(row, {}), world.kwargs)
        observed[row] = " ".join(_page_request(clients[p], method, url, body) for p in PERSONAS)
    return observed


def _page_request(client, method, url, body):
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    body = {k: _upload(v) for k, v in body.items()}  # a fresh file each time: reading ends it
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, body)
        transaction.set_rollback(True)
    if session is not None:  # a logout (rolled back) must not sign the persona out for the rest
        client.cookies[settings.SESSION_COOKIE_NAME] = session.value
    return _outcome(response)


def _upload(value):
    if isinstance(value, bytes):
        return SimpleUploadedFile("矩阵.pdf", value, content_type="application/pdf")
    return value


def _observe_api(world, rows) -> dict[str, str]:
    clients = _clients(world, tokens=True)
    observed = {}
    for row in rows:
        method, path = row.split(" ", 1)
        url = path.format(**world.api_ids)
        body = _with_ids(API_BODIES.get(row, {}), world.api_ids)
        observed[row] = " ".join(_request(clients[p], method, url, body) for p in PERSONAS)
    return observed


def _with_ids(value, ids):
    """ "{key}" in a body stands for the world's id, as in a path (an int when the id is one)."""
    if isinstance(value, dict):
        return {name: _with_ids(item, ids) for name, item in value.items()}
    if isinstance(value, list):
        return [_with_ids(item, ids) for item in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def _expected(table) -> dict[str, str]:
    return {row: " ".join(outcomes.split()) for row, outcomes in table.items()}


def test_every_route_has_a_row(client, db):
    pages = {row.split(" ", 1)[1] for row in MATRIX}
    assert sorted(set(page_routes()) - pages) == [], "pages without a row in MATRIX"
    assert sorted(pages - set(page_routes())) == [], "rows of MATRIX without a page"
    assert sorted(set(api_operations(client)) ^ set(API_MATRIX)) == [], "API_MATRIX ≠ OpenAPI"


def test_every_page_gives_each_persona_its_outcome(world):
    assert _observe_pages(world, MATRIX) == _expected(MATRIX)


def test_every_api_operation_gives_each_persona_its_outcome(world):
    assert _observe_api(world, API_MATRIX) == _expected(API_MATRIX)


def test_each_row_names_one_outcome_per_persona():
    for row, outcomes in (MATRIX | API_MATRIX).items():
        assert len(outcomes.split()) == len(PERSONAS), row


def test_the_api_full_kit_is_for_the_office_and_oversight_only(world):
    """The operation's plain answer is the public kit (its row above); ?full=true carries the
    population with strata and the design, so everyone else gets 403 (anonymous 401), and each
    download leaves an audit event."""
    url = "/api/batches/{batch_id}/kit?full=true".format(**world.api_ids)
    clients = _clients(world, tokens=True)
    observed = " ".join(_outcome(clients[p].get(url)) for p in PERSONAS)
    assert observed == "200 403 403 403 403 200 403 403 403 403 401 401"
    downloads = AuditEvent.objects.filter(event_type=AuditEventType.FULL_KIT_DOWNLOADED)
    assert sorted(e.actor.username for e in downloads) == ["office_admin_wang", "oversight_ma"]


def test_the_public_draws_answer_404_for_a_missing_batch_number(world):
    """A number never drawn (or not yet public) gets the same 404 for everyone, signed in or not."""
    clients = _clients(world, tokens=True)
    for url in ("/api/public/draws/PC-0000-999", "/api/public/draws/PC-0000-999/selection"):
        observed = " ".join(_outcome(clients[p].get(url)) for p in PERSONAS)
        assert observed == " ".join(["404"] * len(PERSONAS)), url
