"""The time left in a timed attempt, counting down in the browser from the server's deadline.

The server keeps the clock: the browser only shows it, corrected for the difference between its
own clock and the server's, and asks the page to check again when the time is up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import streamlit as st

from course import clock

_HTML = """
<p class="countdown"><span class="label">Time left:</span> <strong class="left">…</strong></p>
<div class="sr" role="status" aria-live="polite"></div>
"""
_CSS = """
.countdown { margin: 0; font-size: 1rem; color: var(--st-text-color); }
.countdown .left { font-variant-numeric: tabular-nums; }
.countdown.low .left { color: #a4161a; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""
_JS = """
const timers = new WeakMap();
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (!data) return;
  const shown = parentElement.querySelector(".left");
  const line = parentElement.querySelector(".countdown");
  const live = parentElement.querySelector(".sr");
  const skew = data.server_now - Date.now();
  const said = new Set();
  const text = (ms) => {
    const s = Math.max(0, Math.ceil(ms / 1000));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const pad = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
  };
  const tick = () => {
    const left = data.deadline - (Date.now() + skew);
    shown.textContent = text(left);
    line.classList.toggle("low", left < 5 * 60 * 1000);
    for (const minutes of [10, 5, 1]) {
      if (left <= minutes * 60000 && left > (minutes * 60000 - 2000) && !said.has(minutes)) {
        said.add(minutes);
        live.textContent = `${minutes} minute${minutes > 1 ? "s" : ""} left.`;
      }
    }
    if (left <= 0) {
      clearInterval(timers.get(parentElement));
      shown.textContent = "0:00";
      setTriggerValue("expired", true);
    }
  };
  clearInterval(timers.get(parentElement));
  timers.set(parentElement, setInterval(tick, 1000));
  tick();
  return () => clearInterval(timers.get(parentElement));
}
"""
_COMPONENT = st.components.v2.component("sns_countdown", html=_HTML, css=_CSS, js=_JS)


def countdown(deadline: datetime, key: str, on_expired: Callable[[], None]) -> None:
    """Show the time left until `deadline`; `on_expired` runs when the browser reaches it."""
    _COMPONENT(
        data={
            "deadline": int(deadline.timestamp() * 1000),
            "server_now": int(clock.now().timestamp() * 1000),
        },
        key=key,
        on_expired_change=on_expired,
    )
