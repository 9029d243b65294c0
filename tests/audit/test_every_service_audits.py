"""Every public service that writes the database also writes an audit event.

Static analysis, so a new service is checked the day it is written: a public function of a
service module that calls a writing ORM method (directly or through a helper of its module)
must also reach `audit_event_record` (directly, through a helper of its module, or through
another service that does). The few exceptions are listed with the reason.
"""

import ast
from pathlib import Path

import spotcheck

ROOT = Path(spotcheck.__file__).parent

SERVICE_MODULES = sorted(
    [
        *ROOT.glob("*/services.py"),
        *ROOT.glob("*/services/*.py"),
        ROOT / "accounts" / "tokens.py",
        ROOT / "accounts" / "otp.py",
        ROOT / "inspections" / "followups.py",
        ROOT / "inspections" / "leads.py",
        ROOT / "inspections" / "evidence.py",
        ROOT / "inspections" / "merging.py",
        ROOT / "draws" / "recusal.py",
        ROOT / "draws" / "drawing.py",
        ROOT / "draws" / "ranges.py",
        ROOT / "stats" / "joint_reports" / "services.py",
    ]
)
WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "save"}
# Also names of set and dict methods: a write only on a manager or a queryset
# (`plan.items.set(…)`, `Model.objects.filter(…).update(…)`), not on a local `seen.add(…)`.
WRITES_ON_MANAGERS = {"delete", "update", "set", "add", "remove", "clear"}
AUDITS = {"audit_event_record", "record_export"}

# function name: why it writes without an event of its own
ALLOWED = {
    # the audit trail itself: it is the event
    "audit_event_record": "writes the event",
    # a token's last use is bookkeeping, not a state change someone decided
    "token_for_key": "stamps last_used_at",
    # empty result rows made on first view; entering a result is audited
    "ensure_results": "materialises placeholders",
}


_WRITE_MARKS = {"." + name for name in WRITES | WRITES_ON_MANAGERS}


def _called_names(function: ast.AST) -> set[str]:
    """Plain names called, and ORM write methods marked `.name`."""
    names = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name):
            names.add(node.func.id)
        elif isinstance(node.func, ast.Attribute):
            method, receiver = node.func.attr, node.func.value
            names.add(method)
            on_manager = isinstance(receiver, ast.Attribute | ast.Call)
            if method in WRITES or (method in WRITES_ON_MANAGERS and on_manager):
                names.add("." + method)
    return names


def _functions(path: Path) -> dict[str, set[str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name: _called_names(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    }


def _closure(functions: dict[str, set[str]], seeds: set[str]) -> set[str]:
    """Names of functions that reach one of `seeds`, through functions known here."""
    reaching = set(seeds)
    changed = True
    while changed:
        changed = False
        for name, calls in functions.items():
            if name not in reaching and calls & reaching:
                reaching.add(name)
                changed = True
    return reaching


def test_every_writing_service_writes_an_audit_event():
    per_module = {path: _functions(path) for path in SERVICE_MODULES if path.exists()}
    everything: dict[str, set[str]] = {}
    for functions in per_module.values():
        everything.update(functions)
    auditing = _closure(everything, AUDITS)
    silent = []
    for path, functions in per_module.items():
        writing = _closure(functions, _WRITE_MARKS)
        for name in functions:
            if name.startswith("_") or name in ALLOWED:
                continue
            if name in writing and name not in auditing:
                silent.append(f"{path.relative_to(ROOT.parent)}:{name}")
    assert not silent, "services that write without an audit event: " + ", ".join(silent)


def test_the_check_sees_a_silent_writer(tmp_path):
    # the analysis itself: a writer without an event is caught, one with an event is not
    module = tmp_path / "services.py"
    module.write_text(
        "def thing_rename(*, thing, name):\n"
        "    thing.name = name\n"
        "    thing.save()\n"
        "def thing_delete(*, thing):\n"
        "    thing.delete()\n"
        "    audit_event_record(event_type=1)\n"
    )
    functions = _functions(module)
    writing = _closure(functions, _WRITE_MARKS)
    auditing = _closure(functions, AUDITS)
    assert sorted(set(functions) & writing - auditing) == ["thing_rename"]
