"""The app's entry script: each run routes through course/ui/navigation.py.

Scripts are compiled on every run by Streamlit's test harness (and once per process by the
server), so the code lives in modules that are imported once, and this file stays small.
"""

from course.ui import navigation

navigation.route()
