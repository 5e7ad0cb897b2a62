"""Keyboard and screen-reader help that Streamlit does not give by itself.

- `style()`: the course's CSS: readable captions (4.5:1), a visible focus ring (3:1) on every
  control, radio buttons and checkboxes included, wrapping answers, and table styles.
- `after_step()`: once the page has drawn a new step (a sign-in, a choice confirmed, the next
  question), move focus to the step's heading, scroll it into view and announce it; also name
  buttons whose visible label is only an arrow, and group a question's answers under its stem.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

STEP_KEY = "sns-step"  # the container whose heading receives focus after a step

_CSS = """
<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {
  color: #55595d; opacity: 1;
}
:is(button, a, input, textarea, summary, [role="tab"], [role="combobox"], [tabindex="0"])
  :focus-visible { outline: 3px solid #1d4e89 !important; outline-offset: 2px; }
label[data-testid="stRadioOption"]:has(input:focus-visible),
label[data-baseweb="checkbox"]:has(input:focus-visible) {
  outline: 3px solid #1d4e89; outline-offset: 2px; border-radius: 4px;
}
[data-baseweb="tab-list"] { padding: 4px; }
[data-baseweb="select"] div { white-space: normal !important; text-overflow: clip !important; }
[data-baseweb="popover"] li[role="option"] { white-space: normal !important; }
.sns-table { overflow-x: auto; max-width: 100%; margin: 0 0 1rem; }
.sns-table table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
.sns-table caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 0.4rem; }
.sns-table th, .sns-table td {
  border-bottom: 1px solid #d5d9de; padding: 0.35rem 0.6rem; text-align: left;
  vertical-align: top;
}
.sns-table thead th { background: #eef1f5; }
.sns-table tbody th { font-weight: 600; }
.sns-text { margin: 0 0 0.5rem; }
.sns-reviews details { border: 1px solid #d5d9de; border-radius: 0.5rem; margin: 0 0 0.5rem;
  padding: 0.4rem 0.8rem; }
.sns-reviews summary { cursor: pointer; font-weight: 600; }
.sns-card h3 { margin: 1rem 0 0.25rem; font-size: 1.25rem; }
.sns-meta { color: #55595d; font-size: 0.875rem; margin: 0 0 0.25rem; }
.sns-header { margin: 0; font-size: 0.875rem; color: #55595d; }
.sns-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
</style>
"""

_JS = """
export default function (component) {
  const { data } = component;
  if (!data) return;
  const doc = document;
  const main = doc.querySelector("[data-testid='stMain']") || doc.body;
  const find = (focus) => {
    if (focus && focus.startsWith("key:")) {
      const box = doc.querySelector(".st-key-" + focus.slice(4));
      return box && box.querySelector("button:not([disabled]), input, [role='combobox']");
    }
    const where = focus && focus.startsWith("heading:") ? focus.slice(8) : "sns-step";
    const step = doc.querySelector(".st-key-" + where) || main;
    return step.querySelector("h1, h2, h3");
  };
  const announce = (text) => {
    if (!text) return;
    let live = doc.getElementById("sns-live");
    if (!live) {
      live = doc.createElement("div");
      live.id = "sns-live";
      live.className = "sns-sr";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      doc.body.appendChild(live);
    }
    live.textContent = "";
    setTimeout(() => { live.textContent = text; }, 60);
  };
  // Only the newest run of this component may act: an older one still waiting for its step's
  // elements must not move focus back to a step the page has left.
  const runs = (window.__snsRuns = window.__snsRuns || {});
  const run = (runs[data.key] = (runs[data.key] || 0) + 1);
  const current = () => runs[data.key] === run;
  const focusOn = (element) => {
    if (!element.matches("button, input, [role='combobox']")) element.tabIndex = -1;
    element.focus({ preventScroll: true });
  };
  let tries = 0;
  const apply = () => {
    if (!current()) return;
    let pending = false;
    for (const [key, label] of Object.entries(data.labels || {})) {
      const button = doc.querySelector(".st-key-" + key + " button");
      if (button) button.setAttribute("aria-label", label); else pending = true;
    }
    for (const [key, label] of Object.entries(data.progress || {})) {
      const bar = doc.querySelector(".st-key-" + key + " [role='progressbar']");
      if (bar) { bar.setAttribute("aria-label", label); bar.setAttribute("aria-valuetext", label); }
      else pending = true;
    }
    for (const [key, label] of Object.entries(data.groups || {})) {
      const box = doc.querySelector(".st-key-" + key);
      if (box) { box.setAttribute("role", "group"); box.setAttribute("aria-label", label); }
      else pending = true;
    }
    if (data.nonce && window.__snsFocused !== data.nonce) {
      const target = find(data.focus);
      if (target) {
        window.__snsFocused = data.nonce;
        focusOn(target);
        target.scrollIntoView({ block: "start" });
        announce(data.announce);
        keep(target, 0);
      } else pending = true;
    }
    // A loaded server can take seconds to draw the step: keep looking for up to 10 s.
    if (pending && tries++ < 200) setTimeout(apply, 50);
  };
  // Streamlit may replace the element just focused while the run finishes; focus then falls to
  // the body, so focus the step's new heading instead (never when the person has moved on).
  const keep = (target, n) => {
    if (!current() || window.__snsFocused !== data.nonce || n > 40) return;
    if (!target.isConnected && (!doc.activeElement || doc.activeElement === doc.body)) {
      const again = find(data.focus);
      if (again) {
        focusOn(again);
        target = again;
      }
    }
    setTimeout(() => keep(target, n + 1), 50);
  };
  apply();
}
"""
_COMPONENT = st.components.v2.component("sns_a11y", html="<span></span>", js=_JS)


def style() -> None:
    """The course's CSS, once per run."""
    st.html(_CSS)


def after_step(
    nonce: str,
    *,
    announce: str = "",
    focus: str = "heading",
    labels: Mapping[str, str] | None = None,
    groups: Mapping[str, str] | None = None,
    progress: Mapping[str, str] | None = None,
    key: str = "sns-a11y",
) -> None:
    """Move focus once per new `nonce` (to the step's heading, to the first heading inside
    `heading:<container key>`, or to the control of `key:<widget key>`),
    announce `announce`, and name keyed buttons, answer groups and progress bars."""
    _COMPONENT(
        data={
            "key": key,
            "nonce": nonce,
            "announce": announce,
            "focus": focus,
            "labels": dict(labels or {}),
            "groups": dict(groups or {}),
            "progress": dict(progress or {}),
        },
        key=key,
        height=0,
    )
