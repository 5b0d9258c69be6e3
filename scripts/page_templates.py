"""The skeleton of each page type: front matter and sections, ready to fill.

Pure functions: ``render`` takes what the author chose and returns the file's text; nothing here
reads or writes files. Instructions for the author are HTML comments, which the built page keeps
out of sight; headings are real, with the ids other pages and alerts deep-link to.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import yaml


@dataclass(frozen=True)
class Kind:
    name: str
    folder: str             # under docs/
    file_prefix: str        # house naming: faq-*.md, troubleshooting-*.md
    title_format: str
    tags: tuple[str, ...]
    description_format: str
    nav_section: str        # the mkdocs.yml nav section the page belongs in


KINDS = {
    "runbook": Kind("runbook", "runbooks", "", "{} Runbook", ("runbook",),
                    "What the on-call engineer does about {}: diagnosis, mitigation, verification and escalation.",
                    "Runbooks"),
    "kb": Kind("kb", "support/knowledge-base", "troubleshooting-", "Troubleshooting: {}", ("troubleshooting",),
               "How to recognise, diagnose and fix {}.", "Knowledge Base"),
    "faq": Kind("faq", "support/knowledge-base", "faq-", "FAQ: {}", ("faq",),
                "What to check and what to tell the client about {}.", "Knowledge Base"),
}


@dataclass
class Request:
    kind: Kind
    slug: str
    title: str
    description: str | None = None
    alerts: list[str] = field(default_factory=list)
    severity: str | None = None
    owner: str | None = None
    review: str | None = None
    tags: list[str] = field(default_factory=list)
    folder_defaults: dict[str, str] = field(default_factory=dict)  # owner/review from .meta.yml
    threshold_facts: dict[str, str] = field(default_factory=dict)  # alert -> its thresholds.* fact

    @property
    def file_name(self) -> str:
        prefix = self.kind.file_prefix
        return (self.slug if self.slug.startswith(prefix) else prefix + self.slug) + ".md"

    @property
    def src_uri(self) -> str:
        return f"{self.kind.folder}/{self.file_name}"

    @property
    def bare_title(self) -> str:
        """The title without the kind's word ('FAQ: Missing Notes' -> 'Missing Notes')."""
        prefix, _, suffix = self.kind.title_format.partition("{}")
        title = self.title
        if prefix and title.lower().startswith(prefix.lower()):
            title = title[len(prefix):]
        if suffix and title.lower().endswith(suffix.lower()):
            title = title[: -len(suffix)]
        return title.strip(" :") or self.title

    @property
    def full_title(self) -> str:
        return self.kind.title_format.format(self.bare_title)


def front_matter(request: Request) -> dict:
    kind = request.kind
    meta = {
        "title": request.full_title,
        "description": request.description or kind.description_format.format(request.bare_title),
    }
    if request.owner:
        meta["owner"] = request.owner
    if request.review:
        meta["review"] = request.review
    meta["tags"] = list(dict.fromkeys([*kind.tags, *request.tags]))
    if request.severity:
        meta["severity"] = request.severity
    if request.alerts:
        meta["alerts"] = list(request.alerts)
    return meta


def _front_matter_text(request: Request) -> str:
    body = yaml.safe_dump(front_matter(request), sort_keys=False, allow_unicode=True, width=1000)
    notes = ["# description: one sentence, shown in search results and link previews."]
    inherited = [key for key in ("owner", "review") if not getattr(request, key)]
    if inherited:
        defaults = ", ".join(f"{k} = {request.folder_defaults.get(k, '(none)')}" for k in inherited)
        notes.append(f"# {' and '.join(inherited)} come from docs/{request.kind.folder}/.meta.yml ({defaults});"
                     " add the key here to override.")
    return "---\n" + body + "\n".join(notes) + "\n---\n"


def _comment(text: str) -> str:
    return f"<!-- {text} -->"


def _alert_summary(alerts: list[str], threshold_facts: dict[str, str]) -> str:
    """The alert table and expressions, as facts references so they follow alerts.yml.

    A threshold is named by its fact in data/facts.yml where the rules are rendered from one,
    so the pages use one name for each number.
    """
    if not alerts:
        return ""
    rows = ["| Alert | Priority | Severity label | Fires after | Threshold |",
            "|-------|----------|----------------|-------------|-----------|"]
    rows += [f"| {a} | {{{{ facts.alerts.{a}.priority }}}} | {{{{ facts.alerts.{a}.severity }}}} "
             f"| {{{{ facts.alerts.{a}.for }}}} | {{{{ facts.{threshold_facts.get(a, f'alerts.{a}.threshold')} }}}} |"
             for a in alerts]
    blocks = [f"{a} (`{{{{ facts.alerts.{a}.summary }}}}`):\n\n```promql\n{{{{ facts.alerts.{a}.expr }}}}\n```"
              for a in alerts]
    return "\n".join(rows) + "\n\n" + "\n\n".join(blocks) + "\n\n"


DIAGNOSIS_HELP = ("Numbered steps, most likely cause first. Give each step a heading with its own id, "
                  "for example: ### 1. Check the broker answers {#step-1-broker}. Put each command in a bash "
                  "block and its output in a text block right after it, introduced by 'Healthy output:' or "
                  "'Unhealthy output:'. Write names as facts references, never retyped: "
                  "kubectl get pods -n {{ facts.k8s.namespace }} -l app={{ facts.k8s.worker }}.")


FIRST_FIVE_HELP = ("At most 150 words, tables and admonitions included, before the first command: what to run "
                   "first and what its output means. End with the triage decision: which section to go to for "
                   "each answer. Diagnosis commands are written once, here or in Diagnosis, never in both.")


def _first_five(request: Request, up: str) -> list[str]:
    """The opening the build requires of a page with alerts: a first command and the triage decision.

    A runbook keeps each alert's block between snippet markers, so that the alert's section of
    operations/alert-runbooks.md shows it with ``--8<-- "docs/runbooks/<file>.md:<alert>"``;
    links inside the block are written from the docs root so that they work on both pages."""
    here = f"{up}{request.src_uri}"
    lines = ["## First five minutes {#first-five-minutes}", "", _comment(FIRST_FIVE_HELP), ""]
    for alert in request.alerts or [""]:
        marked = request.kind.name == "runbook" and alert
        block = [
            f"Is {alert or 'the alert'} still firing, and on which labels:", "", "```bash",
            "kubectl port-forward -n {{ facts.monitoring.namespace }} svc/{{ facts.monitoring.prometheus_service }} "
            "{{ facts.monitoring.prometheus_port }}:{{ facts.monitoring.prometheus_port }} &",
            "curl -s {{ facts.urls.prometheus }}/api/v1/alerts | jq '.data.alerts[] | "
            f"select(.labels.alertname == \"{alert}\") | {{state, labels, activeAt}}'", "```", "",
            f"**Triage:** firing, go to [Diagnosis]({here}#diagnosis); resolved, check "
            f"[Verification]({here}#verification) before closing.",
        ]
        if marked:
            block = [f"<!-- --8<-- [start:{alert.lower()}] -->", *block, f"<!-- --8<-- [end:{alert.lower()}] -->"]
        lines += [*block, ""]
    return lines


def _incident_sections(request: Request, up: str) -> str:
    """First five minutes to Related: the sections every runbook and troubleshooting article has."""
    escalation = f"- [Escalation Matrix]({up}support/incident-response-playbook.md#escalation-matrix)"
    related = [f"- [{a} alert runbook]({up}operations/alert-runbooks.md#{a.lower()})" for a in request.alerts]
    related.append("- [Runbooks](index.md)" if request.kind.name == "runbook" else "- [Knowledge Base index](INDEX.md)")
    return "\n".join([
        *_first_five(request, up),
        "## Summary {#summary}", "",
        _comment("What breaks for clients, how fast it gets worse, and the priority it is handled at. "
                 "Keep the alert table and expressions as references: they follow monitoring/prometheus/alerts.yml."),
        "", _alert_summary(request.alerts, request.threshold_facts) +
        "## Symptoms {#symptoms}", "",
        _comment("What the engineer sees, one bullet each: the alert, the dashboard panel and its value, "
                 "the client's words, the log line."),
        "", "## Diagnosis {#diagnosis}", "", _comment(DIAGNOSIS_HELP), "",
        "## Mitigation {#mitigation}", "",
        _comment("One subsection per cause found in Diagnosis, with its own id: the commands that fix it, "
                 "what each changes, and a warning admonition above anything destructive."),
        "", "## Verification {#verification}", "",
        _comment("How to prove it is fixed: the query or command, the value that means healthy, and how "
                 "long to watch before closing the incident."),
        "", "## Escalation {#escalation}", "",
        _comment("When to call the next level, stated as a time or a measurement, and what to hand over."),
        "", "Escalate along the levels of the escalation matrix:", "", escalation, "",
        "## Related {#related}", "",
        _comment("Runbooks, knowledge-base articles and dashboards an engineer needs next to this page."),
        "", *related,
    ]) + "\n"


def _faq_sections(request: Request) -> str:
    return "\n".join([
        "## The Short Answer {#short-answer}", "",
        _comment("The answer a support engineer can give in one paragraph: the usual cause, the check "
                 "that confirms it, and whether anything is lost."),
        "", "## Investigation {#investigation}", "", _comment(DIAGNOSIS_HELP), "",
        "## Causes, Most Frequent First {#causes}", "",
        _comment("One subsection per cause with its own id: how to recognise it and how to fix it."),
        "", "## What to Tell the Client {#client-replies}", "",
        _comment("A ready-to-send reply for each cause, in the client's words, without internal names."),
        "", "## When to Escalate {#when-to-escalate}", "",
        _comment("The measurement or time after which L2 or engineering takes over, and what to hand over."),
        "", "## Related {#related}", "",
        "- [Knowledge Base index](INDEX.md)",
        "- [Ticket investigation workflow](../client-support-procedures.md#ticket-investigation-workflow)",
    ]) + "\n"


def render(request: Request) -> str:
    depth = request.kind.folder.count("/") + 1
    up = "../" * depth
    intro = _comment("Two or three sentences: what this page is for and when to open it.")
    body = _faq_sections(request) if request.kind.name == "faq" else _incident_sections(request, up)
    return f"{_front_matter_text(request)}\n# {request.full_title}\n\n{intro}\n\n{body}"


def nav_line(request: Request, indent: int) -> str:
    return " " * indent + f"- {request.src_uri}"
