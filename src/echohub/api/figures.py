"""A program's figures as the API gives them: its reach (the reports' headline figures)
and its evaluation results (aggregates only: counts, shares, means; never an answer's
text, and nothing of a cell under five people, as on the pages)."""

from typing import Any

from rest_framework import serializers

from echohub.evaluations import results
from echohub.programs.models import Program
from echohub.reports.figures import Reach, Scope, reach


class CreditsLine(serializers.Serializer):
    label = serializers.CharField()
    amount = serializers.CharField()
    certificates = serializers.IntegerField()


class ReachSerializer(serializers.Serializer):
    program = serializers.CharField()
    sessions_held = serializers.IntegerField()
    participations = serializers.IntegerField()
    people = serializers.IntegerField()
    new_people = serializers.IntegerField()
    returning_people = serializers.IntegerField()
    hours = serializers.FloatField()
    registered = serializers.IntegerField()
    registered_attended = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    retention = serializers.FloatField(allow_null=True)
    certificates = serializers.IntegerField()
    credits = CreditsLine(many=True)
    refreshed_at = serializers.DateTimeField(allow_null=True)


def program_reach(program: Program) -> dict[str, Any]:
    found: Reach = reach(Scope(hub=program.hub, program=program))
    counts = found.counts
    return {
        "program": program.slug,
        "sessions_held": found.sessions_held,
        "participations": counts.participations,
        "people": counts.people,
        "new_people": counts.new,
        "returning_people": counts.returning,
        "hours": round(counts.hours, 2),
        "registered": counts.registered,
        "registered_attended": counts.registered_attended,
        "no_shows": counts.no_shows,
        "retention": found.retention,
        "certificates": found.certificates,
        "credits": [
            {"label": c.label, "amount": str(c.amount), "certificates": c.certificates}
            for c in found.credits
        ],
        "refreshed_at": found.refreshed_at,
    }


class PointSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField()


class ItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.DictField(child=serializers.CharField())
    type = serializers.CharField()
    answers = serializers.IntegerField()
    hidden = serializers.BooleanField(help_text="Fewer than five answers: no figures.")
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    points = PointSerializer(many=True)


class PhaseSerializer(serializers.Serializer):
    phase = serializers.CharField()
    responses = serializers.IntegerField()
    asked = serializers.IntegerField(allow_null=True)
    rate = serializers.FloatField(allow_null=True)
    items = ItemSerializer(many=True)


class ChangeSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.DictField(child=serializers.CharField())
    pairs = serializers.IntegerField()
    before = serializers.FloatField(allow_null=True)
    after = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(allow_null=True)
    improved = serializers.FloatField(allow_null=True)


class EvaluationSerializer(serializers.Serializer):
    program = serializers.CharField()
    phases = PhaseSerializer(many=True)
    changes = ChangeSerializer(many=True)


def _label(spec: results.Spec) -> dict[str, str]:
    return {"en": spec.item.label_en, "fr": spec.item.label_fr}


def _item(item: results.ItemResult) -> dict[str, Any]:
    hidden = item.hidden
    return {
        "key": item.spec.key,
        "label": _label(item.spec),
        "type": item.spec.type,
        "answers": item.n,
        "hidden": hidden,
        "mean": None if hidden else item.mean,
        "median": None if hidden else item.median,
        "points": []
        if hidden
        else [
            {"label": p.label, "count": p.count, "share": p.share}
            for p in item.points
            if not p.hidden
        ],
    }


def program_evaluation(program: Program) -> dict[str, Any]:
    found = results.for_program(program)
    return {
        "program": program.slug,
        "phases": [
            {
                "phase": phase.phase,
                "responses": phase.group.responses,
                "asked": phase.group.asked,
                "rate": phase.group.rate,
                # Free-text answers are people's own words: the API gives figures only.
                "items": [_item(i) for i in phase.group.items if not i.spec.is_free_text],
            }
            for phase in found.phases
        ],
        "changes": [
            {
                "key": c.spec.key,
                "label": _label(c.spec),
                "pairs": c.pairs,
                **(
                    dict.fromkeys(("before", "after", "change", "improved"))
                    if c.hidden
                    else {
                        "before": c.before,
                        "after": c.after,
                        "change": c.change,
                        "improved": c.improved,
                    }
                ),
            }
            for c in found.changes
        ],
    }
