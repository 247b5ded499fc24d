"""The council's page for what its entry windows publish: quality questions, pass/fail items
and the pass mark. The rules (when terms may change, what a question needs) are
``frameworks.services.entry_terms``'s; this page parses, shows and explains."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caremarket.brokerage.views.actions import bound_to, failed, posted_action, run
from caremarket.core.permissions import permission_required
from caremarket.frameworks import rules
from caremarket.frameworks import selectors as fs
from caremarket.frameworks.models import EntryTerms
from caremarket.frameworks.services import entry_terms as terms
from caremarket.pricing import forms as f


def _act(framework_id: int, action: str | None, by: Any) -> Any:
    def act(data: dict[str, Any]) -> str:
        if action == "question":
            saved = terms.save_question(
                framework_id,
                terms.QuestionInput(
                    data["number"],
                    data["text"],
                    data["criteria"],
                    data["weight"],
                    data["scale_max"],
                ),
                by=by,
                question_id=data.get("question"),
            )
            return f"Question {saved.number} saved."
        if action == "item":
            item = terms.save_pass_fail_item(
                framework_id,
                number=data["number"],
                text=data["text"],
                cqc_only=data["cqc_only"],
                by=by,
            )
            return f"Pass or fail item {item.number} added."
        if action == "pass-mark":
            saved_terms = terms.set_pass_mark(framework_id, threshold=data["threshold"], by=by)
            return f"The pass mark is now {saved_terms.quality_threshold}."
        return "Nothing changed."

    return act


def _remove(request: HttpRequest, framework_id: int, action: str) -> str:
    posted = request.POST.get("id", "")
    target = int(posted) if posted.isdigit() and len(posted) < 12 else 0
    if action == "remove-question":
        terms.remove_question(framework_id, target, by=request.user)
        return "The question has been removed."
    terms.remove_pass_fail_item(framework_id, target, by=request.user)
    return "The item has been removed."


@permission_required("set_entry_terms")
def entry_terms(request: HttpRequest, pk: int) -> HttpResponse:
    framework = fs.framework_for(request.user, pk)
    questions = list(framework.questions.all())
    editing = next((q for q in questions if str(q.pk) == request.GET.get("change")), None)
    action = posted_action(request)
    data = bound_to(request, action)
    next_number = max((q.number for q in questions), default=0) + 1
    question_initial = (
        {
            "question": editing.pk,
            "number": editing.number,
            "text": editing.text,
            "criteria": editing.criteria,
            "weight": editing.weight,
            "scale_max": editing.scale_max,
        }
        if editing
        else {"number": next_number, "scale_max": 5}
    )
    items = list(framework.pass_fail.all())
    current = EntryTerms.objects.filter(framework=framework).first()
    forms_ = {
        "question": f.QuestionForm(data("question"), prefix="question", initial=question_initial),
        "item": f.PassFailForm(
            data("item"),
            prefix="item",
            initial={"number": max((i.number for i in items), default=0) + 1},
        ),
        "pass-mark": f.PassMarkForm(
            data("pass-mark"),
            prefix="mark",
            initial={"threshold": current.quality_threshold if current else 60},
        ),
    }
    if action in forms_:
        done = run(
            request, forms_[action], _act(framework.pk, action, request.user), then=request.path
        )
        if done is not None:
            return done
    elif action in ("remove-question", "remove-item"):
        done = run(
            request, None, lambda _: _remove(request, framework.pk, action), then=request.path
        )
        if done is not None:
            return done
    context = {
        "framework": framework,
        "questions": questions,
        "items": items,
        "editing": editing,
        "pass_mark": current.quality_threshold if current else None,
        "locked": terms.lock_reason(framework),
        "weights": rules.weights_problem(q.weight for q in questions),
        "total_weight": sum((q.weight for q in questions), 0),
        "failed_form": failed(*forms_.values()),
        **{f"{name.replace('-', '_')}_form": form for name, form in forms_.items()},
    }
    return render(request, "pricing/entry_terms.html", context)
