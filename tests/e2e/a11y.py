"""Accessibility checks in the browser: axe-core (from npm) against WCAG 2.1 A/AA, and touch-target sizes."""
from __future__ import annotations

from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MIN_TARGET = 44  # px, WCAG 2.5.5 (AAA) and Apple's HIG; a tablet in a meeting room deserves it


@cache
def axe_source() -> str:
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `make install` (npm ci installs axe-core)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """Run axe-core in the page; one readable line per failing element.

    The script is evaluated through the DevTools protocol, so the page's CSP (no inline scripts)
    does not get in the way and the page itself ships no test code."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    result = page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']}); return r.violations.map((v) => ({id: v.id, impact: v.impact,"
        " help: v.help, nodes: v.nodes.map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '')"
        ".replace(/\\s+/g, ' ').slice(0, 300))})); }",
        WCAG_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {node}" for v in result for node in v["nodes"]]


class AxeLog:
    """Collects violations per page/state so one run of a long test shows all of them at once."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}
        self.checked: list[str] = []

    def check(self, page, name: str) -> None:
        self.checked.append(name)
        violations = axe_violations(page)
        if violations:
            self.found[name] = violations

    def assert_clean(self) -> None:
        report = "\n".join(f"[{name}]\n  " + "\n  ".join(v) for name, v in self.found.items())
        assert not self.found, f"axe-core found WCAG 2.1 A/AA violations:\n{report}"


def small_targets(page, scope: str = "#main") -> list[str]:
    """Visible, enabled buttons, inputs, selects and links inside `scope` smaller than 44x44 px.

    A radio or checkbox counts by its label when the label wraps it or points at it (the label is
    the target people tap); inline links inside running text are exempt, as WCAG 2.5.8 allows."""
    return page.evaluate(
        """([scope, min]) => {
          const out = [];
          const root = document.querySelector(scope) || document.body;
          for (const el of root.querySelectorAll('button, input:not([type=hidden]), select, textarea, a.button, summary, [role=radio]')) {
            const style = getComputedStyle(el);
            if (el.disabled || style.visibility === 'hidden' || el.closest('[hidden]') || el.offsetParent === null) continue;
            let box = el.getBoundingClientRect();
            if (el.type === 'radio' || el.type === 'checkbox') {
              const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
              if (label) box = label.getBoundingClientRect();
            }
            if (box.width + 0.5 < min || box.height + 0.5 < min) {
              out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.name ? '[name=' + el.name + ']' : ''}`
                + ` "${(el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"`
                + ` ${Math.round(box.width)}x${Math.round(box.height)}`);
            }
          }
          return out;
        }""",
        [scope, MIN_TARGET])
